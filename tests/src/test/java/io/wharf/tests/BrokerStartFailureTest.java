package io.wharf.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wharf.server.Broker;
import io.wharf.server.config.BrokerConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that cannot start gives back everything it had opened, and its data directory starts normally later; a
 * directory in use by a running broker is refused.
 */
class BrokerStartFailureTest {

    @TempDir
    Path dataDir;

    @Test
    void aTakenPortFailsTheStartWithoutLeavingThreadsOrOpenLogs() throws Exception {
        Set<String> before = brokerThreads();
        try (Broker first = Broker.start(settings(0))) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1)))
                        .all()
                        .get();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> before.containsAll(brokerThreads()));

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Broker.start(settings(taken.getLocalPort())))
                    .as("the port is in use")
                    .isNotNull();
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(brokerThreads())
                        .as("threads of the failed start still running")
                        .isSubsetOf(before));
        assertThat(Files.readString(dataDir.resolve("kept-0/partition.state")))
                .as("the failed start closed the logs it had opened")
                .containsPattern("clean-shutdown\\s+true");

        try (Broker again = Broker.start(settings(0));
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, again.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).contains("kept");
        }
    }

    @Test
    void aSecondBrokerOnTheSameDirectoryIsRefusedAndTheFirstGoesOn() throws Exception {
        try (Broker first = Broker.start(settings(0));
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers()))) {
            assertThatThrownBy(() -> Broker.start(settings(0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by another broker");
            admin.createTopics(List.of(new NewTopic("after", 1, (short) 1)))
                    .all()
                    .get();
            assertThat(admin.listTopics().names().get()).contains("after");
        }
        try (Broker restarted = Broker.start(settings(0))) {
            assertThat(restarted.bootstrapServers())
                    .as("the lock is released on close")
                    .isNotEmpty();
        }
    }

    private BrokerConfig settings(int port) {
        return BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://127.0.0.1:" + port, "log.dirs", dataDir.toString()));
    }

    /** The names of the running threads of the kinds a broker starts. */
    private static Set<String> brokerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("wharf-"))
                .collect(Collectors.toSet());
    }
}
