package io.wharf.coordinator.group;

/**
 * The states of a classic group, with the names Kafka's tools show.
 *
 * <pre>
 * EMPTY ──join──▶ PREPARING_REBALANCE ──all joined / timeout──▶ COMPLETING_REBALANCE ──leader's sync──▶ STABLE
 *   ▲                  ▲    │ (no member left)                        │ member joins, leaves, times out │
 *   └──────────────────┼────┘                                         ▼                                 ▼
 *                      └──────────────────────────────────── PREPARING_REBALANCE ◀─────────────────────┘
 * any ──delete──▶ DEAD
 * </pre>
 *
 * <p>Each state has a fixed code, its byte in classic group records; a new state takes a new code and a code is never
 * reused. Only the states a generation ends in are recorded (EMPTY, COMPLETING_REBALANCE, STABLE): a rebalance under
 * way is soft state, and a deleted group has no record.
 */
enum ClassicGroupState {
    EMPTY(0, "Empty"),
    PREPARING_REBALANCE(1, "PreparingRebalance"),
    COMPLETING_REBALANCE(2, "CompletingRebalance"),
    STABLE(3, "Stable"),
    DEAD(4, "Dead");

    private static final ClassicGroupState[] VALUES = values();

    private final int code;
    private final String displayName;

    ClassicGroupState(int code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    String displayName() {
        return displayName;
    }

    /** The state's code in classic group records. */
    int code() {
        return code;
    }

    /** Whether a classic group record may hold this state. */
    boolean isRecorded() {
        return this == EMPTY || this == COMPLETING_REBALANCE || this == STABLE;
    }

    /**
     * The recorded state with {@code code}.
     *
     * @throws IllegalArgumentException when no state has it, or its state is never recorded
     */
    static ClassicGroupState ofRecordedCode(int code) {
        for (ClassicGroupState state : VALUES) {
            if (state.code == code) {
                if (!state.isRecorded()) {
                    throw new IllegalArgumentException(
                            "classic group state " + state + " (code " + code + ") is never recorded");
                }
                return state;
            }
        }
        throw new IllegalArgumentException("unknown classic group state code " + code);
    }
}
