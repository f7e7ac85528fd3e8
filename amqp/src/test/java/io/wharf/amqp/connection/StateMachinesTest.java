package io.wharf.amqp.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The transitions the connection and channel state machines allow are exactly those their Javadoc draws. */
class StateMachinesTest {

    @Test
    void connectionTransitions() {
        assertThat(allowed(ConnectionState.AWAITING_START_OK))
                .containsExactlyInAnyOrder(
                        ConnectionState.AWAITING_TUNE_OK, ConnectionState.CLOSING, ConnectionState.CLOSED);
        assertThat(allowed(ConnectionState.AWAITING_TUNE_OK))
                .containsExactlyInAnyOrder(
                        ConnectionState.AWAITING_OPEN, ConnectionState.CLOSING, ConnectionState.CLOSED);
        assertThat(allowed(ConnectionState.AWAITING_OPEN))
                .containsExactlyInAnyOrder(ConnectionState.OPEN, ConnectionState.CLOSING, ConnectionState.CLOSED);
        assertThat(allowed(ConnectionState.OPEN))
                .containsExactlyInAnyOrder(ConnectionState.CLOSING, ConnectionState.CLOSED);
        assertThat(allowed(ConnectionState.CLOSING)).containsExactly(ConnectionState.CLOSED);
        assertThat(allowed(ConnectionState.CLOSED)).isEmpty();
    }

    @Test
    void channelTransitions() {
        assertThat(allowed(ChannelState.OPEN))
                .containsExactlyInAnyOrder(ChannelState.AWAITING_HEADER, ChannelState.CLOSING, ChannelState.CLOSED);
        assertThat(allowed(ChannelState.AWAITING_HEADER))
                .containsExactlyInAnyOrder(
                        ChannelState.AWAITING_BODY, ChannelState.OPEN, ChannelState.CLOSING, ChannelState.CLOSED);
        assertThat(allowed(ChannelState.AWAITING_BODY))
                .containsExactlyInAnyOrder(ChannelState.OPEN, ChannelState.CLOSING, ChannelState.CLOSED);
        assertThat(allowed(ChannelState.CLOSING)).containsExactly(ChannelState.CLOSED);
        assertThat(allowed(ChannelState.CLOSED)).isEmpty();
    }

    private static Set<ConnectionState> allowed(ConnectionState from) {
        Set<ConnectionState> to = EnumSet.noneOf(ConnectionState.class);
        for (ConnectionState next : ConnectionState.values()) {
            if (from.canMoveTo(next)) {
                to.add(next);
            }
        }
        return to;
    }

    private static Set<ChannelState> allowed(ChannelState from) {
        Set<ChannelState> to = EnumSet.noneOf(ChannelState.class);
        for (ChannelState next : ChannelState.values()) {
            if (from.canMoveTo(next)) {
                to.add(next);
            }
        }
        return to;
    }
}
