package io.wharf.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.ManualClock;
import io.wharf.server.Broker;
import io.wharf.server.config.BrokerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long-poll fetch waits on the broker's clock, not the machine's: a test owns its timeouts. */
class DelayedOperationsClockTest {

    @TempDir
    Path dir;

    @Test
    void aLongPollFetchIsAnsweredWhenTheBrokersClockReachesItsMaxWait() throws Exception {
        ManualClock clock = new ManualClock(System.currentTimeMillis());
        try (Broker broker = Broker.start(
                BrokerConfig.parse(Map.of(
                        "listeners",
                        "PLAINTEXT://127.0.0.1:0",
                        "log.dirs",
                        Files.createDirectories(dir).toString())),
                clock)) {
            Properties properties = new Properties();
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(properties)) {
                admin.createTopics(List.of(new NewTopic("idle", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            io.wharf.common.TopicId id = broker.services()
                    .replicas()
                    .image()
                    .topic("idle")
                    .orElseThrow()
                    .id();
            FetchRequestData fetch = new FetchRequestData()
                    .setMaxWaitMs(60_000)
                    .setMinBytes(1)
                    .setMaxBytes(1 << 20)
                    .setSessionEpoch(-1);
            fetch.topics()
                    .add(new FetchRequestData.FetchTopic()
                            .setTopic("idle")
                            .setTopicId(new Uuid(id.mostSignificantBits(), id.leastSignificantBits()))
                            .setPartitions(List.of(new FetchRequestData.FetchPartition()
                                    .setPartition(0)
                                    .setFetchOffset(0)
                                    .setPartitionMaxBytes(1 << 20))));
            short version = ApiKeys.FETCH.latestVersion();
            try (WireClient client = new WireClient(broker.bootstrapServers())) {
                int correlation = client.sendOnly(ApiKeys.FETCH, version, fetch);
                CompletableFuture<FetchResponseData> answer = CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.receive(ApiKeys.FETCH, version, correlation);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                boolean early;
                try {
                    answer.get(500, TimeUnit.MILLISECONDS);
                    early = true;
                } catch (TimeoutException e) {
                    early = false;
                }
                assertThat(early).as("answered before the broker's clock moved").isFalse();
                clock.advanceMs(60_000);
                FetchResponseData response = answer.get(5, TimeUnit.SECONDS);
                assertThat(response.responses().get(0).partitions().get(0).errorCode())
                        .isZero();
            }
        }
    }
}
