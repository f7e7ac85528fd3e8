package io.wharf.tests;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A share group member in its own process, for tests that kill it while it holds records: it polls until it gets
 * records, prints {@code GOT <value> <delivery count>} for each, and then holds them without acknowledging until it
 * is killed. Arguments: bootstrap, group, topic.
 */
public final class ChildShareConsumer {

    private ChildShareConsumer() {}

    public static void main(String[] args) throws InterruptedException {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);
        Properties properties = new Properties();
        properties.put("bootstrap.servers", args[0]);
        properties.put("group.id", args[1]);
        properties.put("share.acknowledgement.mode", "explicit");
        properties.put("max.poll.records", "10");
        try (KafkaShareConsumer<byte[], byte[]> consumer =
                new KafkaShareConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(args[2]));
            ConsumerRecords<byte[], byte[]> records = ConsumerRecords.empty();
            while (records.isEmpty()) {
                records = consumer.poll(Duration.ofMillis(100));
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                out.println("GOT " + new String(record.value(), UTF_8) + " "
                        + record.deliveryCount().orElse((short) -1));
            }
            out.println("HOLDING");
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
