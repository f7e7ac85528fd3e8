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
 */
enum ClassicGroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String displayName;

    ClassicGroupState(String displayName) {
        this.displayName = displayName;
    }

    String displayName() {
        return displayName;
    }
}
