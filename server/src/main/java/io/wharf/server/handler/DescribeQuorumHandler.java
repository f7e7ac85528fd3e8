package io.wharf.server.handler;

import io.wharf.metadata.MetadataLog;
import io.wharf.metadata.raft.QuorumConfig;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.config.ClusterConfigs;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeQuorum (what {@code kafka-metadata-quorum.sh describe} sends): the metadata quorum of the partition {@code
 * __cluster_metadata-0}, as its leader sees it (the request is forwarded there): leader, epoch, high watermark, and
 * per voter its log end, last fetch and last time caught up; with v2, each voter's controller listener. A single node
 * is a quorum of one.
 */
public final class DescribeQuorumHandler implements ApiHandler {

    /** The name Kafka's tools give the metadata log's topic. */
    static final String METADATA_TOPIC = "__cluster_metadata";

    private final BrokerServices services;

    public DescribeQuorumHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_QUORUM;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        DescribeQuorumRequestData body = request.body();
        boolean asksForMetadata = body.topics().size() == 1
                && METADATA_TOPIC.equals(body.topics().get(0).topicName())
                && body.topics().get(0).partitions().size() == 1
                && body.topics().get(0).partitions().get(0).partitionIndex() == 0;
        if (!asksForMetadata) {
            return CompletableFuture.completedFuture(new DescribeQuorumResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("Only " + METADATA_TOPIC + "-0 has a quorum"));
        }
        return services.controller().describeQuorum().handle((committed, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                return new DescribeQuorumResponseData()
                        .setErrorCode(Errors.NOT_CONTROLLER.code())
                        .setErrorMessage(cause.getMessage());
            }
            return describe(committed.result(), request.version());
        });
    }

    private DescribeQuorumResponseData describe(MetadataLog.QuorumState quorum, short version) {
        DescribeQuorumResponseData.PartitionData partition = new DescribeQuorumResponseData.PartitionData()
                .setPartitionIndex(0)
                .setLeaderId(quorum.leader().leaderId())
                .setLeaderEpoch(quorum.leader().epoch())
                .setHighWatermark(quorum.highWatermark());
        for (MetadataLog.VoterState voter : quorum.voters()) {
            partition
                    .currentVoters()
                    .add(new DescribeQuorumResponseData.ReplicaState()
                            .setReplicaId(voter.nodeId())
                            .setReplicaDirectoryId(Uuid.ZERO_UUID)
                            .setLogEndOffset(voter.logEndOffset())
                            .setLastFetchTimestamp(voter.lastFetchTimestampMs())
                            .setLastCaughtUpTimestamp(voter.lastCaughtUpTimestampMs()));
        }
        DescribeQuorumResponseData response = new DescribeQuorumResponseData();
        response.topics()
                .add(new DescribeQuorumResponseData.TopicData()
                        .setTopicName(METADATA_TOPIC)
                        .setPartitions(List.of(partition)));
        if (version >= 2) {
            BrokerConfig config = services.config();
            String listener =
                    config.get(ClusterConfigs.CONTROLLER_LISTENER_NAMES).get(0);
            for (QuorumConfig.Voter voter : config.cluster().voters()) {
                DescribeQuorumResponseData.Node node = new DescribeQuorumResponseData.Node().setNodeId(voter.nodeId());
                node.listeners()
                        .add(new DescribeQuorumResponseData.Listener()
                                .setName(listener)
                                .setHost(voter.host())
                                .setPort(voter.port()));
                response.nodes().add(node);
            }
        }
        return response;
    }
}
