/**
 * The transaction coordinator: each transactional id's producer id, epoch and transaction state, kept as records in
 * {@code __transaction_state} and rebuilt by replay. It hands out producer ids and epochs (fencing zombies), records
 * which partitions a transaction wrote to, and, when a transaction ends, has COMMIT or ABORT markers written to each of
 * them. Transactions that outlive their timeout are aborted by a timer.
 */
package io.wharf.coordinator.txn;
