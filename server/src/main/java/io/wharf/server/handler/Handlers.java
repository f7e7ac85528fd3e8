package io.wharf.server.handler;

import io.wharf.server.BrokerServices;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.handler.group.ConsumerGroupDescribeHandler;
import io.wharf.server.handler.group.ConsumerGroupHeartbeatHandler;
import io.wharf.server.handler.group.DeleteGroupsHandler;
import io.wharf.server.handler.group.DescribeGroupsHandler;
import io.wharf.server.handler.group.FindCoordinatorHandler;
import io.wharf.server.handler.group.HeartbeatHandler;
import io.wharf.server.handler.group.JoinGroupHandler;
import io.wharf.server.handler.group.LeaveGroupHandler;
import io.wharf.server.handler.group.ListGroupsHandler;
import io.wharf.server.handler.group.OffsetCommitHandler;
import io.wharf.server.handler.group.OffsetDeleteHandler;
import io.wharf.server.handler.group.OffsetFetchHandler;
import io.wharf.server.handler.group.ShareGroupDescribeHandler;
import io.wharf.server.handler.group.ShareGroupHeartbeatHandler;
import io.wharf.server.handler.group.SyncGroupHandler;
import io.wharf.server.handler.share.AlterShareGroupOffsetsHandler;
import io.wharf.server.handler.share.DeleteShareGroupOffsetsHandler;
import io.wharf.server.handler.share.DeleteShareGroupStateHandler;
import io.wharf.server.handler.share.DescribeShareGroupOffsetsHandler;
import io.wharf.server.handler.share.InitializeShareGroupStateHandler;
import io.wharf.server.handler.share.ReadShareGroupStateHandler;
import io.wharf.server.handler.share.ReadShareGroupStateSummaryHandler;
import io.wharf.server.handler.share.ShareAcknowledgeHandler;
import io.wharf.server.handler.share.ShareFetchHandler;
import io.wharf.server.handler.share.WriteShareGroupStateHandler;
import io.wharf.server.handler.txn.AddOffsetsToTxnHandler;
import io.wharf.server.handler.txn.AddPartitionsToTxnHandler;
import io.wharf.server.handler.txn.DescribeProducersHandler;
import io.wharf.server.handler.txn.DescribeTransactionsHandler;
import io.wharf.server.handler.txn.EndTxnHandler;
import io.wharf.server.handler.txn.ListTransactionsHandler;
import io.wharf.server.handler.txn.TxnOffsetCommitHandler;
import io.wharf.server.handler.txn.WriteTxnMarkersHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/** Every handler the broker registers; the ApiVersions response is built from this list. */
public final class Handlers {

    private Handlers() {}

    public static List<ApiHandler> all(BrokerServices services, Executor requestThreads) {
        List<ApiHandler> handlers = new ArrayList<>();
        handlers.add(new ApiVersionsHandler(
                () -> List.copyOf(handlers), services.config().get(BrokerConfig.TRANSACTION_VERSION)));
        handlers.add(new MetadataHandler(services));
        handlers.add(new ProduceHandler(services));
        handlers.add(new FetchHandler(services, requestThreads));
        handlers.add(new ListOffsetsHandler(services));
        handlers.add(new OffsetForLeaderEpochHandler(services));
        handlers.add(new InitProducerIdHandler(services));
        handlers.add(new AddPartitionsToTxnHandler(services));
        handlers.add(new AddOffsetsToTxnHandler(services));
        handlers.add(new EndTxnHandler(services));
        handlers.add(new WriteTxnMarkersHandler(services));
        handlers.add(new TxnOffsetCommitHandler(services));
        handlers.add(new DescribeTransactionsHandler(services));
        handlers.add(new ListTransactionsHandler(services));
        handlers.add(new DescribeProducersHandler(services));
        handlers.add(new DescribeClusterHandler(services));
        handlers.add(new CreateTopicsHandler(services));
        handlers.add(new DeleteTopicsHandler(services));
        handlers.add(new CreatePartitionsHandler(services));
        handlers.add(new DeleteRecordsHandler(services));
        handlers.add(new DescribeConfigsHandler(services));
        handlers.add(new AlterConfigsHandler(services));
        handlers.add(new IncrementalAlterConfigsHandler(services));
        handlers.add(new DescribeTopicPartitionsHandler(services));
        handlers.add(new DescribeLogDirsHandler(services));
        handlers.add(new DescribeQuorumHandler(services));
        handlers.add(new AlterPartitionReassignmentsHandler(services));
        handlers.add(new ListPartitionReassignmentsHandler(services));
        handlers.add(new ElectLeadersHandler(services));
        handlers.add(new FindCoordinatorHandler(services));
        handlers.add(new JoinGroupHandler(services));
        handlers.add(new SyncGroupHandler(services));
        handlers.add(new HeartbeatHandler(services));
        handlers.add(new LeaveGroupHandler(services));
        handlers.add(new OffsetCommitHandler(services));
        handlers.add(new OffsetFetchHandler(services));
        handlers.add(new OffsetDeleteHandler(services));
        handlers.add(new ListGroupsHandler(services));
        handlers.add(new DescribeGroupsHandler(services));
        handlers.add(new DeleteGroupsHandler(services));
        handlers.add(new ConsumerGroupHeartbeatHandler(services));
        handlers.add(new ConsumerGroupDescribeHandler(services));
        handlers.add(new ShareGroupHeartbeatHandler(services));
        handlers.add(new ShareGroupDescribeHandler(services));
        handlers.add(new ShareFetchHandler(services, requestThreads));
        handlers.add(new ShareAcknowledgeHandler(services));
        handlers.add(new DescribeShareGroupOffsetsHandler(services));
        handlers.add(new AlterShareGroupOffsetsHandler(services));
        handlers.add(new DeleteShareGroupOffsetsHandler(services));
        handlers.add(new InitializeShareGroupStateHandler(services));
        handlers.add(new ReadShareGroupStateHandler(services));
        handlers.add(new WriteShareGroupStateHandler(services));
        handlers.add(new DeleteShareGroupStateHandler(services));
        handlers.add(new ReadShareGroupStateSummaryHandler(services));
        return handlers;
    }
}
