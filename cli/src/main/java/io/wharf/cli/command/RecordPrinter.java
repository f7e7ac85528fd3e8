package io.wharf.cli.command;

import io.wharf.cli.output.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Prints consumed records. Plain: the value's bytes exactly as stored (optionally the key and a separator first),
 * then a newline; a missing key or value prints as {@code null}, as Kafka's console consumer does. JSON: one object
 * per line with topic, partition, offset, timestamp, key, value and headers, bytes read as UTF-8. One thread.
 */
final class RecordPrinter {

    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final boolean json;
    private final byte[] keySeparator;

    /** @param keySeparator printed between key and value; null prints no key (plain only) */
    RecordPrinter(OutputStream out, boolean json, byte[] keySeparator) {
        this.out = out;
        this.json = json;
        this.keySeparator = keySeparator;
    }

    void print(ConsumerRecord<byte[], byte[]> record) throws IOException {
        if (json) {
            out.write(Json.write(asMap(record)).getBytes(StandardCharsets.UTF_8));
        } else {
            if (keySeparator != null) {
                out.write(record.key() == null ? NULL : record.key());
                out.write(keySeparator);
            }
            out.write(record.value() == null ? NULL : record.value());
        }
        out.write('\n');
    }

    void flush() throws IOException {
        out.flush();
    }

    private static Map<String, Object> asMap(ConsumerRecord<byte[], byte[]> record) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("topic", record.topic());
        map.put("partition", record.partition());
        map.put("offset", record.offset());
        map.put("timestamp", record.timestamp());
        map.put("key", text(record.key()));
        map.put("value", text(record.value()));
        List<Object> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("key", header.key());
            h.put("value", text(header.value()));
            headers.add(h);
        }
        map.put("headers", headers);
        return map;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
