package io.wharf.server.handler;

import io.wharf.common.TopicPartition;
import io.wharf.common.config.ConfigType;
import io.wharf.metadata.MetadataError;
import io.wharf.metadata.MetadataException;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.ConfigRecord;
import io.wharf.protocol.wire.KafkaRequest;
import io.wharf.replication.PartitionReplica;
import io.wharf.server.BrokerServices;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.config.ConfigResolver;
import io.wharf.server.config.ConfigSource;
import io.wharf.server.config.GroupConfigs;
import io.wharf.storage.PartitionLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * DescribeConfigs for topics, brokers and groups. A topic, a group, or this broker (named by its node id), is
 * described with every key
 * it has: the value in effect, where it comes from (topic setting, dynamic broker setting, cluster-wide dynamic
 * default, {@code server.properties}, default) and, on request, every layer that sets it (synonyms) and the key's
 * documentation. The cluster-wide default (broker "") lists only the keys set there, as Kafka does. Only the keys
 * asked for are listed when the request names some; names that are no key are left out. Broker keys that only
 * {@code server.properties} can set are read-only. A compacted topic also lists, read-only, the cleaner's dirty ratio
 * and clean offset of each of its partitions this broker leads.
 */
public final class DescribeConfigsHandler implements ApiHandler {

    /** The prefix of the dirty ratio entries, followed by the partition. */
    public static final String DIRTY_RATIO = "wharf.cleaner.dirty.ratio.";
    /** The prefix of the clean offset entries, followed by the partition. */
    public static final String CLEAN_OFFSET = "wharf.cleaner.clean.offset.";

    private final BrokerServices services;

    public DescribeConfigsHandler(BrokerServices services) {
        this.services = services;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CONFIGS;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, KafkaRequest request) {
        DescribeConfigsRequestData body = request.body();
        ConfigResolver resolver = services.replicas().configs();
        MetadataImage image = services.replicas().image();
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : body.resources()) {
            DescribeConfigsResponseData.DescribeConfigsResult result =
                    new DescribeConfigsResponseData.DescribeConfigsResult()
                            .setResourceType(resource.resourceType())
                            .setResourceName(resource.resourceName());
            try {
                ConfigTarget target =
                        ConfigTarget.of(resource.resourceType(), resource.resourceName(), services.nodeId());
                Set<String> wanted =
                        resource.configurationKeys() == null ? null : new HashSet<>(resource.configurationKeys());
                for (ConfigResolver.Resolved resolved : resolve(target, resolver, image, services.config())) {
                    if (wanted == null || wanted.contains(resolved.key().name())) {
                        result.configs().add(entry(target, resolved, body));
                    }
                }
                if (target.isTopic()) {
                    for (DescribeConfigsResourceResult entry : cleanerState(target.name(), image)) {
                        if (wanted == null || wanted.contains(entry.name())) {
                            result.configs().add(entry);
                        }
                    }
                }
            } catch (MetadataException e) {
                result.setErrorCode(ErrorMapping.of(e.error()).code()).setErrorMessage(e.getMessage());
                result.configs().clear();
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private static List<ConfigResolver.Resolved> resolve(
            ConfigTarget target, ConfigResolver resolver, MetadataImage image, BrokerConfig broker) {
        if (target.isGroup()) {
            return GroupConfigs.describe(broker, image, target.name());
        }
        if (target.isTopic()) {
            if (image.topic(target.name()).isEmpty()) {
                throw new MetadataException(
                        MetadataError.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + target.name() + "' does not exist.");
            }
            return resolver.describeTopic(target.name());
        }
        if (!target.isClusterDefault()) {
            return resolver.describeBroker();
        }
        List<ConfigResolver.Resolved> defaults = new ArrayList<>();
        for (String name : image.configs(ConfigRecord.ResourceType.BROKER, "").keySet()) {
            BrokerConfig.DEFINITIONS.key(name).ifPresent(key -> defaults.add(resolver.clusterDefault(key)));
        }
        return defaults;
    }

    /**
     * The cleaner's view of each partition of a compacted topic that this broker leads, as read-only entries
     * {@value #DIRTY_RATIO}{@code <partition>} (the share of its cleanable bytes not cleaned yet, what the cleaner
     * compares with {@code min.cleanable.dirty.ratio}) and {@value #CLEAN_OFFSET}{@code <partition>} (the offset below
     * which it is clean). No Kafka response has a field for them; a client sees entries like any other.
     */
    private List<DescribeConfigsResourceResult> cleanerState(String topic, MetadataImage image) {
        List<DescribeConfigsResourceResult> entries = new ArrayList<>();
        int partitions = image.topic(topic).map(t -> t.partitionCount()).orElse(0);
        long nowMs = services.clock().nowMs();
        for (int p = 0; p < partitions; p++) {
            Optional<PartitionReplica> replica = services.replicas().partition(new TopicPartition(topic, p));
            if (replica.isEmpty()
                    || !replica.get().isLeader()
                    || !replica.get().log().config().compact()) {
                continue;
            }
            PartitionLog log = replica.get().log();
            entries.add(cleanerEntry(
                    DIRTY_RATIO + p,
                    String.format(Locale.ROOT, "%.4f", log.cleanableRange(nowMs).dirtyRatio()),
                    (byte) 6));
            entries.add(cleanerEntry(CLEAN_OFFSET + p, String.valueOf(log.cleanerCheckpoint()), (byte) 5));
        }
        return entries;
    }

    private static DescribeConfigsResourceResult cleanerEntry(String name, String value, byte type) {
        return new DescribeConfigsResourceResult()
                .setName(name)
                .setValue(value)
                .setConfigSource(ConfigSource.DEFAULT_CONFIG.id())
                .setReadOnly(true)
                .setIsSensitive(false)
                .setConfigType(type);
    }

    private static DescribeConfigsResourceResult entry(
            ConfigTarget target, ConfigResolver.Resolved resolved, DescribeConfigsRequestData body) {
        boolean readOnly = !target.isTopic()
                && !target.isGroup()
                && !BrokerConfig.isDynamic(resolved.key().name());
        DescribeConfigsResourceResult entry = new DescribeConfigsResourceResult()
                .setName(resolved.key().name())
                .setValue(resolved.value())
                .setConfigSource(resolved.source().id())
                .setReadOnly(readOnly)
                .setIsSensitive(false)
                .setConfigType(typeId(resolved.key().type()))
                .setDocumentation(body.includeDocumentation() ? resolved.key().doc() : null);
        if (body.includeSynonyms()) {
            for (ConfigResolver.Synonym synonym : resolved.synonyms()) {
                entry.synonyms()
                        .add(new DescribeConfigsResponseData.DescribeConfigsSynonym()
                                .setName(synonym.name())
                                .setValue(synonym.value())
                                .setSource(synonym.source().id()));
            }
        }
        return entry;
    }

    /** Kafka's ids of config types (ConfigDef.Type): BOOLEAN 1, STRING 2, INT 3, LONG 5, DOUBLE 6, LIST 7. */
    static byte typeId(ConfigType type) {
        return switch (type) {
            case BOOLEAN -> 1;
            case STRING -> 2;
            case INT -> 3;
            case LONG -> 5;
            case DOUBLE -> 6;
            case LIST -> 7;
        };
    }
}
