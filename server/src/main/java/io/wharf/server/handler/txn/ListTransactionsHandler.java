package io.wharf.server.handler.txn;

import io.wharf.coordinator.txn.TransactionMetadata;
import io.wharf.coordinator.txn.TransactionState;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.server.BrokerServices;
import io.wharf.server.handler.ApiHandler;
import io.wharf.server.handler.RequestContext;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListTransactions: the transactional ids this broker coordinates, filtered by state, producer id, how long the
 * transaction has been open (v1+) and a regular expression on the id (v2+). A state name Kafka does not know is
 * answered in {@code UnknownStateFilters}; a broker that has not coordinated any transaction lists none.
 */
public final class ListTransactionsHandler implements ApiHandler {

    private final BrokerServices services;

    public ListTransactionsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        ListTransactionsRequestData body = request.body();
        ListTransactionsResponseData response = new ListTransactionsResponseData();
        Set<TransactionState> states = body.stateFilters().stream()
                .map(TransactionState::ofKafkaName)
                .flatMap(Optional::stream)
                .collect(Collectors.toSet());
        body.stateFilters().stream()
                .filter(name -> TransactionState.ofKafkaName(name).isEmpty())
                .forEach(response.unknownStateFilters()::add);
        Pattern pattern;
        try {
            String regex = request.version() >= 2 ? body.transactionalIdPattern() : null;
            pattern = regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code()));
        }
        long now = services.clock().nowMs();
        long minDurationMs = request.version() >= 1 ? body.durationFilter() : -1;
        Set<Long> producerIds = Set.copyOf(body.producerIdFilters());
        Predicate<TransactionMetadata> filter = metadata -> (states.isEmpty() || states.contains(metadata.state()))
                && (producerIds.isEmpty() || producerIds.contains(metadata.producerId()))
                && (minDurationMs < 0 || (metadata.startMs() >= 0 && now - metadata.startMs() >= minDurationMs))
                && (pattern == null
                        || pattern.matcher(metadata.transactionalId()).matches());
        boolean onlyUnknownStates = !body.stateFilters().isEmpty() && states.isEmpty();
        if (onlyUnknownStates || services.transactions().loaded().isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        return services.transactions().loaded().get().list(filter).thenApply(found -> {
            for (TransactionMetadata metadata : found) {
                response.transactionStates()
                        .add(new ListTransactionsResponseData.TransactionState()
                                .setTransactionalId(metadata.transactionalId())
                                .setProducerId(metadata.producerId())
                                .setTransactionState(metadata.state().kafkaName()));
            }
            return (ApiMessage) response;
        });
    }
}
