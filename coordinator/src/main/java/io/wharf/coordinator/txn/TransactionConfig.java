package io.wharf.coordinator.txn;

/**
 * The transaction coordinator's settings.
 *
 * @param maxTimeoutMs the largest {@code transaction.timeout.ms} a producer may ask for ({@code
 *     transaction.max.timeout.ms})
 * @param idExpirationMs how long an idle transactional id is kept ({@code transactional.id.expiration.ms})
 * @param abortCheckIntervalMs how often timed-out transactions are looked for and aborted, and idle ids expired
 */
public record TransactionConfig(int maxTimeoutMs, long idExpirationMs, long abortCheckIntervalMs) {}
