package io.wharf.coordinator.group;

/**
 * Where a KIP-848 member stands in reconciling its assignment with the group's target.
 *
 * <pre>
 * STABLE ──target moved, must give partitions up──▶ UNREVOKED_PARTITIONS ──member reports them gone──┐
 *   ▲   ──target moved, gets partitions still owned elsewhere──▶ UNRELEASED_PARTITIONS ──freed────────┤
 *   └─────────────────────────────────────────────────────────────────────────────────────────────────┘
 * </pre>
 */
enum MemberState {
    STABLE,
    UNREVOKED_PARTITIONS,
    UNRELEASED_PARTITIONS
}
