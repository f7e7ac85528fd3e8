package io.wharf.coordinator.share;

/**
 * The durable state of one record of a share-partition, as share-state records write it and as the share-partition
 * leader sends it to the share coordinator.
 *
 * @param state where the record stands
 * @param deliveries how many times it has been acquired
 * @param cause why it was archived, for ARCHIVING and ARCHIVED records
 * @param holder the member holding its lock, for ACQUIRED records (else null)
 * @param lockUntilMs when that lock runs out, for ACQUIRED records (else -1)
 */
public record SlotState(RecordState state, int deliveries, ArchiveCause cause, String holder, long lockUntilMs) {

    /** A record no one has touched yet. */
    public static final SlotState INITIAL = new SlotState(RecordState.AVAILABLE, 0, ArchiveCause.NONE, null, -1);

    static SlotState acquired(int deliveries, String holder, long lockUntilMs) {
        return new SlotState(RecordState.ACQUIRED, deliveries, ArchiveCause.NONE, holder, lockUntilMs);
    }

    static SlotState available(int deliveries) {
        return new SlotState(RecordState.AVAILABLE, deliveries, ArchiveCause.NONE, null, -1);
    }

    static SlotState acknowledged(int deliveries) {
        return new SlotState(RecordState.ACKNOWLEDGED, deliveries, ArchiveCause.NONE, null, -1);
    }

    /** Archived for {@code cause}: ARCHIVING first when a copy must go to the dead-letter topic. */
    static SlotState archived(int deliveries, ArchiveCause cause, boolean deadLetter) {
        RecordState state = deadLetter && cause.deadLetters() ? RecordState.ARCHIVING : RecordState.ARCHIVED;
        return new SlotState(state, deliveries, cause, null, -1);
    }
}
