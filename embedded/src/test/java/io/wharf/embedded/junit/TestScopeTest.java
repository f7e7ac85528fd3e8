package io.wharf.embedded.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.embedded.EmbeddedBroker;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A fresh broker per test; the previous one is stopped and its directory deleted before the next test starts. */
@WharfBroker(scope = WharfBroker.Scope.TEST)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestScopeTest {

    private static EmbeddedBroker previous;

    private EmbeddedBroker fromBeforeEach;

    @BeforeEach
    void remember(EmbeddedBroker broker) {
        fromBeforeEach = broker;
    }

    @Test
    @Order(1)
    void getsItsOwnBroker(EmbeddedBroker broker) {
        assertThat(broker).isSameAs(fromBeforeEach);
        previous = broker;
    }

    @Test
    @Order(2)
    void getsAnotherBrokerAfterThePreviousOneWasStopped(EmbeddedBroker broker) {
        assertThat(previous).isNotNull();
        assertThat(broker).isNotSameAs(previous);
        Path previousData = previous.dataDir();
        assertThat(previousData).doesNotExist();
        assertThat(broker.dataDir()).exists();
    }
}
