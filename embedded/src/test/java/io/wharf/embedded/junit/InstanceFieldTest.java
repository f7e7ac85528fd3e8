package io.wharf.embedded.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.embedded.EmbeddedBroker;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An extension on an instance field starts a broker for each test. */
class InstanceFieldTest {

    private static final Set<String> SEEN = new HashSet<>();

    @RegisterExtension
    final WharfBrokerExtension wharf = new WharfBrokerExtension();

    @Test
    void oneTest(EmbeddedBroker broker) {
        assertThat(wharf.broker()).isSameAs(broker);
        assertThat(SEEN.add(broker.dataDir().toString())).isTrue();
    }

    @Test
    void anotherTest(EmbeddedBroker broker) {
        assertThat(wharf.broker()).isSameAs(broker);
        assertThat(SEEN.add(broker.dataDir().toString())).isTrue();
    }

    @Test
    void anExtensionThatHasNotStartedSaysSo() {
        assertThatThrownBy(() -> new WharfBrokerExtension().broker())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Wharf broker is running yet");
    }
}
