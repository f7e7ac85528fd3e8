package io.wharf.server.handler;

import io.wharf.server.BrokerServices;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/** Every handler the broker registers; the ApiVersions response is built from this list. */
public final class Handlers {

    private Handlers() {}

    public static List<ApiHandler> all(BrokerServices services, Executor requestThreads) {
        List<ApiHandler> handlers = new ArrayList<>();
        handlers.add(new ApiVersionsHandler(() -> List.copyOf(handlers)));
        handlers.add(new MetadataHandler(services));
        handlers.add(new ProduceHandler(services));
        handlers.add(new FetchHandler(services, requestThreads));
        handlers.add(new ListOffsetsHandler(services));
        handlers.add(new OffsetForLeaderEpochHandler(services));
        handlers.add(new InitProducerIdHandler(services));
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
        return handlers;
    }
}
