package io.wharf.amqp.codec;

/**
 * A client's mistake, answered with channel.close (a soft error: the channel ends, the connection stays) or
 * connection.close (a hard error), carrying the spec's reply code and the class and method that caused it. Thrown
 * before anything is changed, so the broker's state is as it was.
 */
public final class AmqpException extends RuntimeException {

    private final int replyCode;
    private final boolean connectionLevel;
    private final int classId;
    private final int methodId;

    private AmqpException(int replyCode, String text, boolean connectionLevel, int classId, int methodId) {
        super(ReplyCode.name(replyCode) + " - " + text, null, false, false);
        this.replyCode = replyCode;
        this.connectionLevel = connectionLevel;
        this.classId = classId;
        this.methodId = methodId;
    }

    /** An error that closes the channel. */
    public static AmqpException channel(int replyCode, String text) {
        return new AmqpException(replyCode, text, false, 0, 0);
    }

    /** An error that closes the whole connection. */
    public static AmqpException connection(int replyCode, String text, int classId, int methodId) {
        return new AmqpException(replyCode, text, true, classId, methodId);
    }

    /** The same error, saying which method caused it. */
    public AmqpException causedBy(int causeClass, int causeMethod) {
        if (classId != 0) {
            return this;
        }
        String text = getMessage().substring(ReplyCode.name(replyCode).length() + 3);
        return new AmqpException(replyCode, text, connectionLevel, causeClass, causeMethod);
    }

    public int replyCode() {
        return replyCode;
    }

    public boolean connectionLevel() {
        return connectionLevel;
    }

    public int classId() {
        return classId;
    }

    public int methodId() {
        return methodId;
    }
}
