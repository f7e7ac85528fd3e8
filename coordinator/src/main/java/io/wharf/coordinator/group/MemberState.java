package io.wharf.coordinator.group;

/**
 * Where a KIP-848 member stands in reconciling its assignment with the group's target.
 *
 * <pre>
 * STABLE ──target moved, must give partitions up──▶ UNREVOKED_PARTITIONS ──member reports them gone──┐
 *   ▲   ──target moved, gets partitions still owned elsewhere──▶ UNRELEASED_PARTITIONS ──freed────────┤
 *   └─────────────────────────────────────────────────────────────────────────────────────────────────┘
 * </pre>
 *
 * <p>Each state has a fixed code, its byte in current-assignment records; a new state takes a new code and a code is
 * never reused.
 */
enum MemberState {
    STABLE(0),
    UNREVOKED_PARTITIONS(1),
    UNRELEASED_PARTITIONS(2);

    private static final MemberState[] VALUES = values();

    private final int code;

    MemberState(int code) {
        this.code = code;
    }

    /** The state's code in current-assignment records. */
    int code() {
        return code;
    }

    /**
     * The state with {@code code}.
     *
     * @throws IllegalArgumentException when no state has it
     */
    static MemberState ofCode(int code) {
        for (MemberState state : VALUES) {
            if (state.code == code) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown consumer member state code " + code);
    }
}
