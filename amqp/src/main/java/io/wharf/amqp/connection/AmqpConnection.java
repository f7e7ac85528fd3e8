package io.wharf.amqp.connection;

import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.LongStringHelper;
import com.rabbitmq.client.impl.Method;
import io.wharf.amqp.AmqpBroker;
import io.wharf.amqp.AmqpConfig;
import io.wharf.amqp.codec.AmqpException;
import io.wharf.amqp.codec.MethodCodec;
import io.wharf.amqp.codec.ReplyCode;
import io.wharf.amqp.model.AmqpQueue;
import io.wharf.network.amqp.AmqpFrames;
import io.wharf.network.amqp.AmqpLink;
import io.wharf.network.amqp.AmqpSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP connection: the handshake (start, start-ok with PLAIN or AMQPLAIN, tune, tune-ok, open), channel 0's
 * methods, and the routing of every other frame to its channel. Frames arrive on the connection's event loop and are
 * handed to the broker thread in order; everything else runs there. States: {@link ConnectionState}.
 */
public final class AmqpConnection implements AmqpSession {

    private static final Logger log = LoggerFactory.getLogger(AmqpConnection.class);

    /** How long a connection we closed waits for the client's close-ok before its socket is closed anyway. */
    private static final long CLOSE_WAIT_MS = 1000;

    private final AmqpBroker broker;
    private final AmqpLink link;
    private final Map<Integer, AmqpChannel> channels = new HashMap<>();
    private ConnectionState state = ConnectionState.AWAITING_START_OK;
    private Map<String, Object> clientCapabilities = Map.of();
    private int channelMax;
    private int frameMaxBytes;
    private boolean blocked;
    private boolean published;

    public AmqpConnection(AmqpBroker broker, AmqpLink link) {
        this.broker = broker;
        this.link = link;
        this.frameMaxBytes = broker.config().frameMaxBytes();
        this.channelMax = broker.config().channelMax();
    }

    public long id() {
        return link.id();
    }

    public AmqpBroker broker() {
        return broker;
    }

    public ConnectionState state() {
        return state;
    }

    int frameMaxBytes() {
        return frameMaxBytes;
    }

    boolean clientCan(String capability) {
        return Boolean.TRUE.equals(clientCapabilities.get(capability));
    }

    boolean writable() {
        return link.isWritable();
    }

    private void moveTo(ConnectionState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("connection " + id() + " cannot move from " + state + " to " + next);
        }
        state = next;
    }

    /** Sends connection.start (broker thread). */
    public void start() {
        link.onWritable(() -> broker.execute(broker::dispatchAll));
        send(
                0,
                new AMQImpl.Connection.Start(
                        0,
                        9,
                        ServerProperties.table(broker.version()),
                        LongStringHelper.asLongString(Authentication.MECHANISMS),
                        LongStringHelper.asLongString("en_US")));
    }

    // Event loop: hand every frame to the broker thread, in order.

    @Override
    public void frame(int type, int channel, byte[] payload) {
        broker.execute(() -> handle(type, channel, payload));
    }

    @Override
    public void frames(List<AmqpSession.Frame> frames) {
        broker.execute(() -> {
            for (AmqpSession.Frame f : frames) {
                handle(f.type(), f.channel(), f.payload());
            }
        });
    }

    @Override
    public void framingError(String reason) {
        broker.execute(() -> fail(AmqpException.connection(ReplyCode.FRAME_ERROR, reason, 0, 0)));
    }

    @Override
    public void closed() {
        broker.execute(this::gone);
    }

    // Broker thread.

    private void handle(int type, int channelNumber, byte[] payload) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        try {
            if (type == AmqpFrames.HEARTBEAT) {
                if (channelNumber != 0) {
                    throw AmqpException.connection(ReplyCode.COMMAND_INVALID, "heartbeat on a channel", 0, 0);
                }
                return;
            }
            if (state == ConnectionState.CLOSING) {
                if (channelNumber == 0 && type == AmqpFrames.METHOD) {
                    Method method = MethodCodec.decode(payload);
                    if (method instanceof AMQImpl.Connection.CloseOk || method instanceof AMQImpl.Connection.Close) {
                        if (method instanceof AMQImpl.Connection.Close) {
                            send(0, new AMQImpl.Connection.CloseOk());
                        }
                        terminate();
                    }
                }
                return;
            }
            if (channelNumber == 0) {
                if (type != AmqpFrames.METHOD) {
                    throw AmqpException.connection(ReplyCode.UNEXPECTED_FRAME, "content frame on channel 0", 0, 0);
                }
                connectionMethod(MethodCodec.decode(payload));
                return;
            }
            if (state != ConnectionState.OPEN) {
                throw AmqpException.connection(ReplyCode.CHANNEL_ERROR, "channel frame before connection.open", 0, 0);
            }
            channelFrame(type, channelNumber, payload);
        } catch (AmqpException e) {
            fail(e);
        } catch (RuntimeException e) {
            log.error("Closing {}: a frame could not be handled", link, e);
            fail(AmqpException.connection(ReplyCode.INTERNAL_ERROR, "internal error: " + e.getMessage(), 0, 0));
        }
    }

    private void channelFrame(int type, int channelNumber, byte[] payload) {
        AmqpChannel channel = channels.get(channelNumber);
        if (channel == null) {
            Method method = type == AmqpFrames.METHOD ? MethodCodec.decode(payload) : null;
            if (!(method instanceof AMQImpl.Channel.Open)) {
                if (method instanceof AMQImpl.Channel.CloseOk) {
                    return;
                }
                throw AmqpException.connection(
                        ReplyCode.CHANNEL_ERROR, "expected channel.open on channel " + channelNumber, 0, 0);
            }
            if (channelNumber > channelMax) {
                throw AmqpException.connection(
                        ReplyCode.CHANNEL_ERROR,
                        "channel " + channelNumber + " is over channel_max " + channelMax,
                        20,
                        10);
            }
            channels.put(channelNumber, new AmqpChannel(this, channelNumber));
            send(channelNumber, new AMQImpl.Channel.OpenOk(LongStringHelper.asLongString("")));
            return;
        }
        channel.frame(type, payload);
        if (channel.state() == ChannelState.CLOSED) {
            channels.remove(channelNumber);
        }
    }

    private void connectionMethod(Method method) {
        switch (state) {
            case AWAITING_START_OK -> startOk(expect(method, AMQImpl.Connection.StartOk.class));
            case AWAITING_TUNE_OK -> tuneOk(expect(method, AMQImpl.Connection.TuneOk.class));
            case AWAITING_OPEN -> open(expect(method, AMQImpl.Connection.Open.class));
            case OPEN -> openMethod(method);
            default -> {}
        }
    }

    private static <T extends Method> T expect(Method method, Class<T> type) {
        if (!type.isInstance(method)) {
            throw AmqpException.connection(
                    ReplyCode.COMMAND_INVALID,
                    "expected " + type.getSimpleName() + ", got " + method.protocolMethodName(),
                    method.protocolClassId(),
                    method.protocolMethodId());
        }
        return type.cast(method);
    }

    private void startOk(AMQImpl.Connection.StartOk startOk) {
        Object capabilities = startOk.getClientProperties() == null
                ? null
                : startOk.getClientProperties().get("capabilities");
        if (capabilities instanceof Map<?, ?> map) {
            Map<String, Object> copy = new HashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), v));
            clientCapabilities = copy;
        }
        LongString response = startOk.getResponse();
        String user = Authentication.authenticate(
                broker.config(),
                startOk.getMechanism(),
                response == null ? new byte[0] : response.getBytes(),
                link.fromLoopback());
        if (user == null) {
            throw AmqpException.connection(
                    ReplyCode.ACCESS_REFUSED,
                    "login was refused using authentication mechanism " + startOk.getMechanism(),
                    10,
                    11);
        }
        moveTo(ConnectionState.AWAITING_TUNE_OK);
        AmqpConfig config = broker.config();
        send(0, new AMQImpl.Connection.Tune(config.channelMax(), config.frameMaxBytes(), config.heartbeatSeconds()));
    }

    private void tuneOk(AMQImpl.Connection.TuneOk tuneOk) {
        AmqpConfig config = broker.config();
        int frameMax = tuneOk.getFrameMax() == 0 ? config.frameMaxBytes() : tuneOk.getFrameMax();
        if (frameMax < AmqpFrames.FRAME_MIN_BYTES || frameMax > config.frameMaxBytes()) {
            throw AmqpException.connection(
                    ReplyCode.NOT_ALLOWED, "frame_max " + tuneOk.getFrameMax() + " is out of range", 10, 31);
        }
        int channels = tuneOk.getChannelMax() == 0 ? config.channelMax() : tuneOk.getChannelMax();
        if (channels > config.channelMax()) {
            throw AmqpException.connection(
                    ReplyCode.NOT_ALLOWED, "channel_max " + channels + " is over " + config.channelMax(), 10, 31);
        }
        channelMax = channels;
        frameMaxBytes = frameMax;
        link.frameMaxBytes(frameMax);
        link.startHeartbeats(tuneOk.getHeartbeat());
        moveTo(ConnectionState.AWAITING_OPEN);
    }

    private void open(AMQImpl.Connection.Open open) {
        if (!broker.host().name().equals(open.getVirtualHost())) {
            throw AmqpException.connection(
                    ReplyCode.NOT_ALLOWED, "vhost " + open.getVirtualHost() + " not found", 10, 40);
        }
        moveTo(ConnectionState.OPEN);
        send(0, new AMQImpl.Connection.OpenOk(""));
        if (broker.blocked()) {
            blocked(true);
        }
    }

    private void openMethod(Method method) {
        if (method instanceof AMQImpl.Connection.Close) {
            send(0, new AMQImpl.Connection.CloseOk());
            terminate();
        } else if (!(method instanceof AMQImpl.Connection.CloseOk)) {
            throw AmqpException.connection(
                    ReplyCode.COMMAND_INVALID,
                    "unexpected " + method.protocolMethodName() + " on channel 0",
                    method.protocolClassId(),
                    method.protocolMethodId());
        }
    }

    /** Answers a hard error with connection.close and waits a moment for close-ok. */
    private void fail(AmqpException error) {
        if (state == ConnectionState.CLOSING || state == ConnectionState.CLOSED) {
            return;
        }
        log.debug("Closing {}: {}", link, error.getMessage());
        releaseChannels();
        moveTo(ConnectionState.CLOSING);
        send(0, new AMQImpl.Connection.Close(error.replyCode(), error.getMessage(), error.classId(), error.methodId()));
        broker.schedule(this::terminate, CLOSE_WAIT_MS);
    }

    /** Raised by a channel: a hard error closes the connection. */
    void connectionError(AmqpException error) {
        fail(error);
    }

    private void terminate() {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        releaseChannels();
        moveTo(ConnectionState.CLOSED);
        flush();
        link.close();
        deleteExclusiveQueues();
        broker.connectionClosed(this);
    }

    private void gone() {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        releaseChannels();
        moveTo(ConnectionState.CLOSED);
        deleteExclusiveQueues();
        broker.connectionClosed(this);
    }

    private void releaseChannels() {
        for (AmqpChannel channel : List.copyOf(channels.values())) {
            channel.release();
        }
        channels.clear();
        broker.dispatchAll();
    }

    private void deleteExclusiveQueues() {
        for (AmqpQueue queue : List.copyOf(broker.host().queues())) {
            if (queue.exclusive() && queue.exclusiveOwner() == id()) {
                broker.deleteQueue(queue);
            }
        }
    }

    /** A queue was deleted: its consumers on this connection are cancelled. */
    public void queueDeleted(AmqpQueue queue) {
        for (AmqpChannel channel : channels.values()) {
            channel.queueDeleted(queue);
        }
    }

    /** The broker's memory limit was crossed (or left): tell the client and stop (or resume) reading it. */
    public void blocked(boolean block) {
        if (state != ConnectionState.OPEN || block == blocked) {
            return;
        }
        blocked = block;
        if (clientCan("connection.blocked")) {
            send(0, block ? new AMQImpl.Connection.Blocked("low on memory") : new AMQImpl.Connection.Unblocked());
        }
        if (published || !block) {
            link.readPaused(block);
        }
    }

    /** A channel published: a connection that publishes is the one to throttle when memory runs short. */
    void publishing() {
        published = true;
    }

    void send(int channel, Method method) {
        link.send(AmqpFrames.METHOD, channel, MethodCodec.encode(method));
        broker.sent(this);
    }

    void sendFrame(int type, int channel, byte[] payload, int offset, int length) {
        link.send(type, channel, payload, offset, length);
        broker.sent(this);
    }

    public void flush() {
        link.flush();
    }

    @Override
    public String toString() {
        return link.toString();
    }
}
