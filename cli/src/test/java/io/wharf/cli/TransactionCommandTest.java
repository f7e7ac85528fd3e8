package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.embedded.EmbeddedBroker;
import io.wharf.embedded.junit.WharfBroker;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** {@code wharf transaction list|describe} against a broker with one transaction open. */
@WharfBroker
class TransactionCommandTest {

    @Test
    void listsAndDescribesAnOpenTransactionAndAnUnknownIdIsNotFound(EmbeddedBroker broker) throws Exception {
        Cli cli = new Cli(broker.bootstrapServers());
        assertThat(cli.run("topic", "create", "txn-cli", "-p", "1").exitCode()).isZero();
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cli-txn");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("txn-cli", "v")).get();

            Cli.Result list = cli.run("transaction", "list");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.outLines())
                    .anySatisfy(line -> assertThat(line).startsWith("cli-txn").contains("Ongoing"));

            Cli.Result describe = cli.run("transaction", "describe", "cli-txn", "-o", "json");
            assertThat(describe.exitCode()).as(describe.toString()).isZero();
            assertThat(describe.out()).contains("\"state\":\"Ongoing\"").contains("\"txn-cli-0\"");
            producer.commitTransaction();
        }
        Cli.Result missing = cli.run("transaction", "describe", "no-such-id");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(3);
    }
}
