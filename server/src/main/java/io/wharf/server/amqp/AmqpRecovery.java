package io.wharf.server.amqp;

import io.wharf.amqp.codec.MethodCodec;
import io.wharf.amqp.model.AmqpQueue;
import io.wharf.amqp.model.ExchangeType;
import io.wharf.amqp.model.Message;
import io.wharf.amqp.model.VirtualHost;
import io.wharf.amqp.store.StateRecord;
import io.wharf.amqp.store.StateRecordCodec;
import io.wharf.amqp.store.StoredMessage;
import io.wharf.protocol.record.Record;
import io.wharf.protocol.record.RecordReader;
import io.wharf.replication.PartitionReplica;
import io.wharf.storage.LogSlice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the AMQP front end's durable state at start: replays {@value LogDurableStore#STATE_TOPIC} in order into the
 * durable exchanges, queues, bindings and the settled offsets of each queue, then reads each durable queue's log and
 * puts back every persistent message not settled, at its offset. Runs on the AMQP broker thread before any connection
 * is served.
 */
public final class AmqpRecovery {

    private static final Logger log = LoggerFactory.getLogger(AmqpRecovery.class);
    private static final int READ_BYTES = 1 << 20;

    private final LogDurableStore store;

    public AmqpRecovery(LogDurableStore store) {
        this.store = store;
    }

    public void recover(VirtualHost host, long nowMs) {
        Optional<PartitionReplica> state = store.awaitLeader(LogDurableStore.STATE_TOPIC);
        if (state.isEmpty()) {
            return;
        }
        Map<String, StateRecord.ExchangeDeclared> exchanges = new LinkedHashMap<>();
        Map<String, StateRecord.QueueDeclared> queues = new LinkedHashMap<>();
        Map<List<Object>, StateRecord.BindingChanged> bindings = new LinkedHashMap<>();
        Map<String, Set<Long>> settled = new HashMap<>();
        for (Record record : readAll(state.get())) {
            StateRecord change = StateRecordCodec.decode(record.value());
            if (change instanceof StateRecord.ExchangeDeclared r) {
                exchanges.put(r.name(), r);
            } else if (change instanceof StateRecord.ExchangeDeleted r) {
                exchanges.remove(r.name());
            } else if (change instanceof StateRecord.QueueDeclared r) {
                queues.put(r.name(), r);
                settled.put(r.name(), new HashSet<>());
            } else if (change instanceof StateRecord.QueueDeleted r) {
                queues.remove(r.name());
                settled.remove(r.name());
            } else if (change instanceof StateRecord.BindingChanged r) {
                List<Object> key = List.of(r.source(), r.destination(), r.toQueue(), r.key(), r.arguments());
                if (r.added()) {
                    bindings.put(key, r);
                } else {
                    bindings.remove(key);
                }
            } else if (change instanceof StateRecord.Settled r) {
                settled.computeIfAbsent(r.queue(), q -> new HashSet<>()).add(r.offset());
            }
        }
        host.replay(() -> {
            exchanges
                    .values()
                    .forEach(e -> host.declareExchange(
                            e.name(),
                            ExchangeType.ofCode(e.typeCode()).wireName(),
                            false,
                            true,
                            e.autoDelete(),
                            e.internal(),
                            e.arguments()));
            queues.values()
                    .forEach(q ->
                            host.declareQueue(q.name(), false, true, false, q.autoDelete(), q.arguments(), -1, nowMs));
            bindings.values().forEach(b -> {
                if (host.exchange(b.source()) != null
                        && (b.toQueue()
                                ? host.queue(b.destination()) != null
                                : host.exchange(b.destination()) != null)) {
                    host.bind(b.source(), b.destination(), b.toQueue(), b.key(), b.arguments(), -1);
                }
            });
            int messages = 0;
            for (StateRecord.QueueDeclared q : queues.values()) {
                messages += recoverMessages(host, host.queue(q.name()), q, settled.get(q.name()), nowMs);
            }
            log.info(
                    "AMQP: recovered {} exchanges, {} queues, {} bindings, {} messages",
                    exchanges.size(),
                    queues.size(),
                    bindings.size(),
                    messages);
        });
    }

    private int recoverMessages(
            VirtualHost host, AmqpQueue queue, StateRecord.QueueDeclared declared, Set<Long> settled, long nowMs) {
        Optional<PartitionReplica> partition = store.awaitLeader(declared.topic());
        if (partition.isEmpty() || queue == null) {
            return 0;
        }
        int count = 0;
        for (Record record : readAll(partition.get())) {
            if (record.offset() < declared.fromOffset()
                    || settled.contains(record.offset())
                    || !"2".equals(header(record, StoredMessage.DELIVERY_MODE))) {
                continue;
            }
            byte[] contentHeader = headerBytes(record, StoredMessage.CONTENT_HEADER);
            byte[] body = record.value() == null ? new byte[0] : record.value();
            Message message = new Message(
                    header(record, StoredMessage.EXCHANGE),
                    header(record, StoredMessage.ROUTING_KEY),
                    contentHeader,
                    MethodCodec.decodeHeader(contentHeader).properties(),
                    body);
            host.recoverMessage(queue, record.offset(), message, nowMs);
            count++;
        }
        return count;
    }

    private static List<Record> readAll(PartitionReplica partition) {
        List<Record> records = new ArrayList<>();
        long offset = partition.log().logStartOffset();
        long end = partition.log().logEndOffset();
        while (offset < end) {
            LogSlice slice = partition.log().read(offset, READ_BYTES, end, true);
            if (slice.isEmpty()) {
                break;
            }
            List<Record> read = RecordReader.records(slice.readFully());
            if (read.isEmpty()) {
                break;
            }
            records.addAll(read);
            offset = read.get(read.size() - 1).offset() + 1;
        }
        return records;
    }

    private static String header(Record record, String key) {
        byte[] value = headerBytes(record, key);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    private static byte[] headerBytes(Record record, String key) {
        for (Record.Header header : record.headers()) {
            if (header.key().equals(key)) {
                return header.value();
            }
        }
        return null;
    }
}
