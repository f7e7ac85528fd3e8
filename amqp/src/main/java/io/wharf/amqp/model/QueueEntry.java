package io.wharf.amqp.model;

/**
 * A message in one queue: its position there, when it expires, and how often it was delivered. Mutable (delivery
 * count, redelivered flag), broker thread only.
 */
public final class QueueEntry {

    private final long sequence;
    private final Message message;
    private final long expiresAtMs;
    private int deliveryCount;
    private boolean redelivered;

    /** @param expiresAtMs when the message expires, or {@code Long.MAX_VALUE} */
    public QueueEntry(long sequence, Message message, long expiresAtMs) {
        this.sequence = sequence;
        this.message = message;
        this.expiresAtMs = expiresAtMs;
    }

    public long sequence() {
        return sequence;
    }

    public Message message() {
        return message;
    }

    public long expiresAtMs() {
        return expiresAtMs;
    }

    public boolean expired(long nowMs) {
        return nowMs >= expiresAtMs;
    }

    /** Times the message was handed back unacknowledged (requeued, or its channel closed). */
    public int deliveryCount() {
        return deliveryCount;
    }

    public boolean redelivered() {
        return redelivered;
    }

    /** Marks the entry as handed back: the next delivery says {@code redelivered=true}. */
    public void returned(boolean countsAsDelivery) {
        redelivered = true;
        if (countsAsDelivery) {
            deliveryCount++;
        }
    }
}
