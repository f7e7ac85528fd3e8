package io.wharf.embedded.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.embedded.EmbeddedBroker;
import io.wharf.server.config.BrokerConfig;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** One broker for the whole class, passed to the constructor and to every test, nested classes included. */
@WharfBroker(configs = {"num.partitions=4", "log.retention.hours = 1"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClassScopeTest {

    private static EmbeddedBroker first;

    private final EmbeddedBroker fromConstructor;

    ClassScopeTest(EmbeddedBroker broker) {
        this.fromConstructor = broker;
    }

    @Test
    @Order(1)
    void getsTheBrokerWithTheAnnotationsSettings(EmbeddedBroker broker) {
        first = broker;
        assertThat(broker).isSameAs(fromConstructor);
        assertThat(broker.config().get(BrokerConfig.NUM_PARTITIONS)).isEqualTo(4);
        assertThat(broker.config().explicit()).containsEntry("log.retention.hours", 1);
    }

    @Test
    @Order(2)
    void sharesItWithTheNextTest(EmbeddedBroker broker) {
        assertThat(first).isNotNull();
        assertThat(broker).isSameAs(first);
        assertThat(broker.dataDir()).exists();
    }

    @Nested
    class Inner {
        @Test
        void seesTheEnclosingClasssBroker(EmbeddedBroker broker) {
            assertThat(broker).isSameAs(fromConstructor);
        }
    }
}
