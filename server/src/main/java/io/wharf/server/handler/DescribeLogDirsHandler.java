package io.wharf.server.handler;

import io.wharf.common.TopicPartition;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.storage.PartitionLog;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DescribeLogDirs: the broker's one data directory, with the size of each partition log in it (all of them when the
 * request's topics are null, else those asked for that are here) and, from v4, the size and free space of its file
 * system. Wharf has no future logs (AlterReplicaLogDirs) and a log's end never trails its own high watermark, so
 * every partition has offset lag 0 and is not a future key.
 */
public final class DescribeLogDirsHandler implements ApiHandler {

    private static final Logger log = LoggerFactory.getLogger(DescribeLogDirsHandler.class);

    private final BrokerServices services;

    public DescribeLogDirsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_LOG_DIRS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        DescribeLogDirsRequestData body = request.body();
        Path dataDir = services.logManager().dataDir().toAbsolutePath();
        DescribeLogDirsResponseData.DescribeLogDirsResult result =
                new DescribeLogDirsResponseData.DescribeLogDirsResult().setLogDir(dataDir.toString());
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData();
        response.results().add(result);
        try {
            FileStore store = Files.getFileStore(dataDir);
            result.setTotalBytes(sizeOrMax(store.getTotalSpace())).setUsableBytes(sizeOrMax(store.getUsableSpace()));
        } catch (IOException e) {
            log.warn("Cannot read the file system of {}", dataDir, e);
            result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
            return CompletableFuture.completedFuture(response);
        }
        Map<String, DescribeLogDirsResponseData.DescribeLogDirsTopic> topics = new TreeMap<>();
        Set<TopicPartition> wanted = body.topics() == null ? null : wanted(body.topics());
        for (Map.Entry<TopicPartition, PartitionLog> entry :
                new TreeMap<>(services.logManager().logs()).entrySet()) {
            TopicPartition tp = entry.getKey();
            if (wanted != null && !wanted.contains(tp)) {
                continue;
            }
            topics.computeIfAbsent(
                            tp.topic(), name -> new DescribeLogDirsResponseData.DescribeLogDirsTopic().setName(name))
                    .partitions()
                    .add(new DescribeLogDirsResponseData.DescribeLogDirsPartition()
                            .setPartitionIndex(tp.partition())
                            .setPartitionSize(entry.getValue().sizeInBytes())
                            .setOffsetLag(0)
                            .setIsFutureKey(false));
        }
        result.topics().addAll(topics.values());
        return CompletableFuture.completedFuture(response);
    }

    private static Set<TopicPartition> wanted(DescribeLogDirsRequestData.DescribableLogDirTopicCollection topics) {
        Set<TopicPartition> wanted = new TreeSet<>();
        for (DescribeLogDirsRequestData.DescribableLogDirTopic topic : topics) {
            for (int partition : topic.partitions()) {
                if (partition >= 0) {
                    wanted.add(new TopicPartition(topic.topic(), partition));
                }
            }
        }
        return wanted;
    }

    /** A file system larger than a long can count reports a negative size; Kafka answers Long.MAX_VALUE then. */
    private static long sizeOrMax(long bytes) {
        return bytes < 0 ? Long.MAX_VALUE : bytes;
    }
}
