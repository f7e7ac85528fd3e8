package io.wharf.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.common.config.ConfigException;
import io.wharf.server.config.BrokerConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerTest {

    @Test
    void startsOnAFreePortOfLoopbackAndDeletesItsDirectoryOnClose() {
        Path dataDir;
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            dataDir = broker.dataDir();
            assertThat(broker.port()).isPositive();
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
            assertThat(dataDir.resolve("meta.properties")).exists();
        }
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void keepsADirectoryItWasGiven(@TempDir Path dir) {
        Path dataDir = dir.resolve("data");
        try (EmbeddedBroker broker = EmbeddedBroker.builder().dataDir(dataDir).start()) {
            assertThat(broker.dataDir()).isEqualTo(dataDir);
        }
        assertThat(dataDir.resolve("meta.properties")).exists();
    }

    @Test
    void listensOnTheGivenPort() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(port).start()) {
            assertThat(broker.port()).isEqualTo(port);
        }
    }

    @Test
    void appliesSettingsOverTheEmbeddedDefaults() {
        try (EmbeddedBroker broker = EmbeddedBroker.builder()
                .config("num.partitions", "3")
                .configs(Map.of("num.io.threads", "4"))
                .start()) {
            assertThat(broker.config().get(BrokerConfig.NUM_IO_THREADS)).isEqualTo(4);
            assertThat(broker.config().get(BrokerConfig.NUM_NETWORK_THREADS)).isEqualTo(1);

            Properties properties = new Properties();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
                assertThat(producer.partitionsFor("auto-created")).hasSize(3);
            }
        }
    }

    @Test
    void refusesAnUnknownSetting() {
        assertThatThrownBy(() ->
                        EmbeddedBroker.builder().config("no.such.setting", "1").start())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no.such.setting");
    }

    @Test
    void refusesAPortOutOfRange() {
        assertThatThrownBy(() -> EmbeddedBroker.builder().port(70_000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingTwiceIsHarmless() {
        EmbeddedBroker broker = EmbeddedBroker.start();
        broker.close();
        broker.close();
        assertThat(Files.exists(broker.dataDir())).isFalse();
    }
}
