package io.wharf.embedded.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.embedded.EmbeddedBroker;
import io.wharf.server.config.BrokerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An extension on a static field starts one broker for the class, before any @BeforeAll method runs. */
class StaticFieldTest {

    @RegisterExtension
    static final WharfBrokerExtension WHARF = new WharfBrokerExtension().config("num.partitions", "5");

    private static EmbeddedBroker atBeforeAll;

    @BeforeAll
    static void remember() {
        atBeforeAll = WHARF.broker();
    }

    @Test
    void theFieldAndTheParameterGiveTheSameBroker(EmbeddedBroker broker) {
        assertThat(WHARF.broker()).isSameAs(broker).isSameAs(atBeforeAll);
        assertThat(WHARF.bootstrapServers()).isEqualTo(broker.bootstrapServers());
        assertThat(broker.config().get(BrokerConfig.NUM_PARTITIONS)).isEqualTo(5);
    }

    @Test
    void everyTestSeesTheClasssBroker() {
        assertThat(WHARF.broker()).isSameAs(atBeforeAll);
    }
}
