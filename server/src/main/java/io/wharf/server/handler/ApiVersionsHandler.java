package io.wharf.server.handler;

import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.protocol.wire.ResponseCodec;
import io.wharf.protocol.wire.ResponseFrame;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ApiVersions: the APIs and versions this broker serves, read from the registered handlers. A request newer
 * than this broker knows gets a version 0 answer with UNSUPPORTED_VERSION and the list (KIP-511), so the client can
 * retry with a version both sides speak.
 *
 * <p>From version 3 the answer carries the features (KIP-584): {@code transaction.version} supported 0 to 2 and
 * finalized at the broker's {@code transaction.version} setting (none finalized at 0). Kafka's clients switch to
 * transaction version 2 (EndTxn v5, Produce v12 adding partitions) only when it is finalized.
 */
public final class ApiVersionsHandler implements ApiHandler {

    private static final Pattern SOFTWARE_FIELD = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?");

    /** The feature that decides the transaction protocol clients use. */
    static final String TRANSACTION_VERSION_FEATURE = "transaction.version";

    private static final short MAX_TRANSACTION_VERSION = 2;

    private final Supplier<List<ApiHandler>> handlers;
    private final short transactionVersion;

    /**
     * @param handlers every registered handler, this one included, read when a response is built
     * @param transactionVersion the finalized {@code transaction.version} level, 0 to 2
     */
    public ApiVersionsHandler(Supplier<List<ApiHandler>> handlers, int transactionVersion) {
        this.handlers = handlers;
        this.transactionVersion = (short) transactionVersion;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.API_VERSIONS;
    }

    @Override
    public boolean runsOnEventLoop() {
        return true;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        return CompletableFuture.completedFuture(response(request));
    }

    /** The whole answer, encoded; the dispatcher calls this directly since unsupported versions are answered too. */
    ResponseFrame respond(KafkaRequest request) {
        if (request.isUnsupportedVersion() || request.version() > maxVersion()) {
            ApiVersionsResponseData fallback = table().setErrorCode(Errors.UNSUPPORTED_VERSION.code());
            return ResponseCodec.encode(request, fallback, (short) 0);
        }
        return ResponseCodec.encode(request, response(request));
    }

    private ApiVersionsResponseData response(KafkaRequest request) {
        ApiVersionsRequestData body = request.body();
        if (request.version() >= 3
                && (!SOFTWARE_FIELD.matcher(body.clientSoftwareName()).matches()
                        || !SOFTWARE_FIELD.matcher(body.clientSoftwareVersion()).matches())) {
            return table().setErrorCode(Errors.INVALID_REQUEST.code());
        }
        return table();
    }

    private ApiVersionsResponseData table() {
        ApiVersionsResponseData data = new ApiVersionsResponseData();
        handlers.get().stream()
                .sorted((a, b) -> Short.compare(a.apiKey().id, b.apiKey().id))
                .forEach(h -> data.apiKeys()
                        .add(new ApiVersionsResponseData.ApiVersion()
                                .setApiKey(h.apiKey().id)
                                .setMinVersion(h.advertisedMinVersion())
                                .setMaxVersion(h.maxVersion())));
        data.supportedFeatures()
                .add(new ApiVersionsResponseData.SupportedFeatureKey()
                        .setName(TRANSACTION_VERSION_FEATURE)
                        .setMinVersion((short) 0)
                        .setMaxVersion(MAX_TRANSACTION_VERSION));
        if (transactionVersion > 0) {
            data.finalizedFeatures()
                    .add(new ApiVersionsResponseData.FinalizedFeatureKey()
                            .setName(TRANSACTION_VERSION_FEATURE)
                            .setMinVersionLevel(transactionVersion)
                            .setMaxVersionLevel(transactionVersion));
        }
        // The level is fixed for the broker's life, so the features' epoch is too.
        data.setFinalizedFeaturesEpoch(0);
        return data;
    }
}
