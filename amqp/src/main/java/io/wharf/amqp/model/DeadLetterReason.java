package io.wharf.amqp.model;

/** Why a message left its queue without being acknowledged, by the names {@code x-death} gives. */
public enum DeadLetterReason {
    REJECTED("rejected"),
    EXPIRED("expired"),
    MAXLEN("maxlen"),
    DELIVERY_LIMIT("delivery_limit");

    private final String wireName;

    DeadLetterReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
