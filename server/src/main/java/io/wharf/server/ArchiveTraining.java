package io.wharf.server;

import io.wharf.common.Endpoint;
import io.wharf.protocol.record.RecordBatchBuilder;
import io.wharf.protocol.wire.RequestCodec;
import io.wharf.protocol.wire.WireRecords;
import io.wharf.server.config.BrokerConfig;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The training run of the class-data-sharing archive that {@code bin/wharf} starts the broker with: a broker on a
 * free port in a temporary directory, one client that asks what a client asks first (ApiVersions, Metadata) and then
 * creates a topic, produces to it and fetches back, and a clean stop. Run under {@code -XX:ArchiveClassesAtExit},
 * every class this loads is stored pre-parsed and pre-verified in the archive, which is most of what a broker's
 * start-up costs.
 */
public final class ArchiveTraining {

    private static final String TOPIC = "prepare";

    private ArchiveTraining() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("wharf-prepare");
        try {
            BrokerConfig config = BrokerConfig.parse(Map.of(
                    "listeners", "PLAINTEXT://127.0.0.1:0",
                    "log.dirs", dir.toString(),
                    "group.initial.rebalance.delay.ms", "0"));
            try (Broker broker = Broker.start(config)) {
                Endpoint endpoint = broker.advertisedListeners().get(0);
                try (Socket socket = new Socket(endpoint.host(), endpoint.port())) {
                    exchange(socket);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static void exchange(Socket socket) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int correlation = 0;
        send(
                out,
                new ApiVersionsRequestData()
                        .setClientSoftwareName("wharf-prepare")
                        .setClientSoftwareVersion(Version.current()),
                3,
                ++correlation);
        receive(in);
        send(out, new MetadataRequestData().setTopics(null), 12, ++correlation);
        receive(in);
        CreateTopicsRequestData create = new CreateTopicsRequestData().setTimeoutMs(10_000);
        create.topics()
                .add(new CreateTopicsRequestData.CreatableTopic()
                        .setName(TOPIC)
                        .setNumPartitions(1)
                        .setReplicationFactor((short) 1));
        send(out, create, 7, ++correlation);
        receive(in);
        ByteBuffer batch = RecordBatchBuilder.create()
                .add(System.currentTimeMillis(), null, "prepare".getBytes(StandardCharsets.UTF_8))
                .build();
        ProduceRequestData produce =
                new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(TOPIC);
        topicData
                .partitionData()
                .add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(WireRecords.memory(batch)));
        produce.topicData().add(topicData);
        send(out, produce, 9, ++correlation);
        receive(in);
        FetchRequestData fetch = new FetchRequestData()
                .setMaxWaitMs(0)
                .setMinBytes(1)
                .setMaxBytes(1 << 20)
                .setTopics(List.of(new FetchRequestData.FetchTopic()
                        .setTopic(TOPIC)
                        .setPartitions(List.of(new FetchRequestData.FetchPartition()
                                .setPartition(0)
                                .setFetchOffset(0)
                                .setPartitionMaxBytes(1 << 20)))));
        send(out, fetch, 12, ++correlation);
        receive(in);
    }

    private static void send(DataOutputStream out, ApiMessage body, int version, int correlation) throws IOException {
        ByteBuffer frame = RequestCodec.encode(body, (short) version, "wharf-prepare", correlation);
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    private static void receive(DataInputStream in) throws IOException {
        byte[] response = new byte[in.readInt()];
        in.readFully(response);
    }
}
