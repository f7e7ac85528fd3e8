package io.wharf.coordinator.txn;

/**
 * Where one transactional id's transaction stands. The allowed transitions:
 *
 * <pre>
 * EMPTY           ──AddPartitionsToTxn / AddOffsetsToTxn──▶ ONGOING
 * EMPTY           ──InitProducerId (epoch bump)────────────▶ EMPTY
 * ONGOING         ──more partitions────────────────────────▶ ONGOING
 * ONGOING         ──EndTxn(commit)─────────────────────────▶ PREPARE_COMMIT
 * ONGOING         ──EndTxn(abort), InitProducerId, timeout─▶ PREPARE_ABORT
 * PREPARE_COMMIT  ──every marker written───────────────────▶ COMPLETE_COMMIT
 * PREPARE_ABORT   ──every marker written───────────────────▶ COMPLETE_ABORT
 * COMPLETE_*      ──AddPartitionsToTxn─────────────────────▶ ONGOING
 * COMPLETE_*      ──InitProducerId─────────────────────────▶ EMPTY
 * EMPTY, COMPLETE_* ──EndTxn(abort) v5 (a new epoch, nothing to mark)──▶ PREPARE_ABORT
 * EMPTY, COMPLETE_* ──transactional.id.expiration.ms idle──▶ DEAD (the id is forgotten)
 * </pre>
 *
 * <p>DEAD is final. Each state has a fixed code, its byte in {@code __transaction_state} records; a new state takes a
 * new code and a code is never reused. The names are Kafka's, as DescribeTransactions and ListTransactions report them.
 */
public enum TransactionState {
    EMPTY(0, "Empty"),
    ONGOING(1, "Ongoing"),
    PREPARE_COMMIT(2, "PrepareCommit"),
    PREPARE_ABORT(3, "PrepareAbort"),
    COMPLETE_COMMIT(4, "CompleteCommit"),
    COMPLETE_ABORT(5, "CompleteAbort"),
    DEAD(6, "Dead");

    private static final TransactionState[] VALUES = values();

    private final int code;
    private final String kafkaName;

    TransactionState(int code, String kafkaName) {
        this.code = code;
        this.kafkaName = kafkaName;
    }

    /** The state's code in {@code __transaction_state} records. */
    public int code() {
        return code;
    }

    /** The name Kafka's admin APIs use for the state. */
    public String kafkaName() {
        return kafkaName;
    }

    /** Whether markers are being written: every request of the producer waits (CONCURRENT_TRANSACTIONS). */
    public boolean isPreparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** Whether no transaction is open or ending: the producer may start one, or be re-initialized. */
    public boolean isIdle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }

    /** Whether the state may move to {@code next}. */
    public boolean canMoveTo(TransactionState next) {
        return switch (this) {
            case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT ->
                next == ONGOING || next == EMPTY || next == PREPARE_ABORT || next == DEAD;
            case ONGOING -> next == ONGOING || next == PREPARE_COMMIT || next == PREPARE_ABORT;
            case PREPARE_COMMIT -> next == COMPLETE_COMMIT;
            case PREPARE_ABORT -> next == COMPLETE_ABORT;
            case DEAD -> false;
        };
    }

    /**
     * Checks a transition computed by Wharf itself.
     *
     * @throws IllegalStateException when it is not allowed: a bug, never a client's mistake
     */
    public TransactionState moveTo(TransactionState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("A transaction cannot move from " + this + " to " + next);
        }
        return next;
    }

    /**
     * The state with {@code code}.
     *
     * @throws IllegalArgumentException when no state has it
     */
    public static TransactionState ofCode(int code) {
        for (TransactionState state : VALUES) {
            if (state.code == code) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown transaction state code " + code);
    }

    /** The state Kafka's admin APIs call {@code name} (case-insensitive), if any. */
    public static java.util.Optional<TransactionState> ofKafkaName(String name) {
        for (TransactionState state : VALUES) {
            if (state.kafkaName.equalsIgnoreCase(name)) {
                return java.util.Optional.of(state);
            }
        }
        return java.util.Optional.empty();
    }
}
