package io.wharf.server.config;

import io.wharf.common.Endpoint;
import io.wharf.common.config.ConfigDefinitions;
import io.wharf.common.config.ConfigException;
import io.wharf.common.config.ConfigKey;
import io.wharf.common.config.ConfigValues;
import io.wharf.coordinator.share.ShareCoordinator;
import io.wharf.storage.cleaner.LogCleaner;
import io.wharf.storage.journal.JournalSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The broker's settings, under Kafka's {@code server.properties} names where the meaning is the same and
 * {@code wharf.*} names for Wharf's own. Every key has a default, so a broker starts with no file at all. The
 * broker-wide defaults of topic settings ({@code log.retention.ms}, …) are declared in {@link TopicConfigs}.
 */
public final class BrokerConfig {

    public static final ConfigKey<Integer> NODE_ID = ConfigKey.integer("node.id", 1)
            .atLeast(0)
            .doc("This broker's id, unique in the cluster.")
            .build();
    public static final ConfigKey<String> LISTENERS = ConfigKey.string(
                    "listeners", "PLAINTEXT://127.0.0.1:9092,AMQP://127.0.0.1:5672")
            .check(BrokerConfig::validEndpoints, "a list of NAME://host:port")
            .doc("Where the broker listens, as NAME://host:port; port 0 picks a free port. An empty host listens on"
                    + " every interface. A listener named AMQP speaks AMQP 0-9-1; the others speak Kafka's protocol.")
            .build();
    public static final ConfigKey<String> ADVERTISED_LISTENERS = ConfigKey.string("advertised.listeners", null)
            .check(v -> v == null || validEndpoints(v), "a list of NAME://host:port")
            .doc("The addresses given to clients, per listener name; defaults to the listeners themselves.")
            .build();
    public static final ConfigKey<List<String>> LOG_DIRS = ConfigKey.list("log.dirs", null)
            .doc("The directory holding the partition logs and the metadata log; overrides log.dir. Only the first"
                    + " directory is used.")
            .build();
    public static final ConfigKey<String> LOG_DIR = ConfigKey.string("log.dir", "./data")
            .doc("The data directory, used when log.dirs is not set.")
            .build();
    public static final ConfigKey<Integer> NUM_PARTITIONS = ConfigKey.integer("num.partitions", 1)
            .atLeast(1)
            .doc("Partitions of a topic created without a count, including auto-created topics.")
            .build();
    public static final ConfigKey<Integer> DEFAULT_REPLICATION_FACTOR = ConfigKey.integer(
                    "default.replication.factor", 1)
            .atLeast(1)
            .doc("Replicas of a topic created without a replication factor.")
            .build();
    public static final ConfigKey<Boolean> AUTO_CREATE_TOPICS_ENABLE = ConfigKey.bool("auto.create.topics.enable", true)
            .doc("Create a topic when a client asks for metadata of one that does not exist (and allows it).")
            .build();
    public static final ConfigKey<Integer> OFFSETS_TOPIC_NUM_PARTITIONS = ConfigKey.integer(
                    "offsets.topic.num.partitions", 50)
            .atLeast(1)
            .doc("Partitions of __consumer_offsets, created when the first group needs it; a group lives in one.")
            .build();
    public static final ConfigKey<Integer> OFFSETS_TOPIC_REPLICATION_FACTOR = ConfigKey.integer(
                    "offsets.topic.replication.factor", 3)
            .atLeast(1)
            .doc("Replicas of __consumer_offsets in a cluster (it is not created while fewer brokers are active); a"
                    + " single node keeps one.")
            .build();
    public static final ConfigKey<Integer> OFFSETS_TOPIC_SEGMENT_BYTES = ConfigKey.integer(
                    "offsets.topic.segment.bytes", 100 << 20)
            .atLeast(1024)
            .doc("Segment size of __consumer_offsets.")
            .build();
    public static final ConfigKey<Long> OFFSETS_RETENTION_MINUTES = ConfigKey.longKey(
                    "offsets.retention.minutes", 7L * 24 * 60)
            .atLeast(1)
            .doc("How long the committed offsets of a group without members are kept.")
            .build();
    public static final ConfigKey<Integer> OFFSET_METADATA_MAX_BYTES = ConfigKey.integer(
                    "offset.metadata.max.bytes", 4096)
            .atLeast(0)
            .doc("The longest metadata string of a committed offset (OFFSET_METADATA_TOO_LARGE beyond).")
            .build();
    public static final ConfigKey<Integer> GROUP_MIN_SESSION_TIMEOUT_MS = ConfigKey.integer(
                    "group.min.session.timeout.ms", 6_000)
            .atLeast(1)
            .doc("The shortest session a classic consumer may ask for (INVALID_SESSION_TIMEOUT below).")
            .build();
    public static final ConfigKey<Integer> GROUP_MAX_SESSION_TIMEOUT_MS = ConfigKey.integer(
                    "group.max.session.timeout.ms", 1_800_000)
            .atLeast(1)
            .doc("The longest session a classic consumer may ask for (INVALID_SESSION_TIMEOUT above).")
            .build();
    public static final ConfigKey<Integer> GROUP_INITIAL_REBALANCE_DELAY_MS = ConfigKey.integer(
                    "group.initial.rebalance.delay.ms", 3_000)
            .atLeast(0)
            .doc("How long the first rebalance of an empty classic group waits for more members to join.")
            .build();
    public static final ConfigKey<Integer> GROUP_MAX_SIZE = ConfigKey.integer("group.max.size", Integer.MAX_VALUE)
            .atLeast(1)
            .doc("The most members a group may have (GROUP_MAX_SIZE_REACHED beyond).")
            .build();
    public static final ConfigKey<Integer> GROUP_CONSUMER_SESSION_TIMEOUT_MS = ConfigKey.integer(
                    "group.consumer.session.timeout.ms", 45_000)
            .atLeast(1)
            .doc("The session of a consumer-protocol (KIP-848) member: no heartbeat for this long removes it.")
            .build();
    public static final ConfigKey<Integer> GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = ConfigKey.integer(
                    "group.consumer.heartbeat.interval.ms", 5_000)
            .atLeast(1)
            .doc("How often consumer-protocol members are told to heartbeat.")
            .build();
    public static final ConfigKey<List<String>> GROUP_CONSUMER_ASSIGNORS = ConfigKey.list(
                    "group.consumer.assignors", List.of("uniform", "range"))
            .oneOf("uniform", "range")
            .doc("The server-side assignors of consumer-protocol groups; the first is the default.")
            .build();
    public static final ConfigKey<Integer> GROUP_PROTOCOL_METADATA_MAX_BYTES = ConfigKey.integer(
                    "wharf.group.protocol.metadata.max.bytes", 1 << 20)
            .atLeast(1)
            .doc("The largest protocol metadata or assignment of a classic group member (INVALID_REQUEST beyond).")
            .build();
    public static final ConfigKey<Integer> SHARE_SESSION_TIMEOUT_MS = ConfigKey.integer(
                    "group.share.session.timeout.ms", 45_000)
            .atLeast(1)
            .doc("The session of a share group member: no heartbeat for this long removes it. Default of the group"
                    + " config share.session.timeout.ms.")
            .build();
    public static final ConfigKey<Integer> SHARE_MIN_SESSION_TIMEOUT_MS = ConfigKey.integer(
                    "group.share.min.session.timeout.ms", 45_000)
            .atLeast(1)
            .doc("The lowest share.session.timeout.ms a share group may set.")
            .build();
    public static final ConfigKey<Integer> SHARE_MAX_SESSION_TIMEOUT_MS = ConfigKey.integer(
                    "group.share.max.session.timeout.ms", 60_000)
            .atLeast(1)
            .doc("The highest share.session.timeout.ms a share group may set.")
            .build();
    public static final ConfigKey<Integer> SHARE_HEARTBEAT_INTERVAL_MS = ConfigKey.integer(
                    "group.share.heartbeat.interval.ms", 5_000)
            .atLeast(1)
            .doc("How often share group members are told to heartbeat. Default of the group config"
                    + " share.heartbeat.interval.ms.")
            .build();
    public static final ConfigKey<Integer> SHARE_MIN_HEARTBEAT_INTERVAL_MS = ConfigKey.integer(
                    "group.share.min.heartbeat.interval.ms", 5_000)
            .atLeast(1)
            .doc("The lowest share.heartbeat.interval.ms a share group may set.")
            .build();
    public static final ConfigKey<Integer> SHARE_MAX_HEARTBEAT_INTERVAL_MS = ConfigKey.integer(
                    "group.share.max.heartbeat.interval.ms", 15_000)
            .atLeast(1)
            .doc("The highest share.heartbeat.interval.ms a share group may set.")
            .build();
    public static final ConfigKey<Integer> SHARE_RECORD_LOCK_DURATION_MS = ConfigKey.integer(
                    "group.share.record.lock.duration.ms", 30_000)
            .atLeast(1)
            .doc("How long a record acquired by a share group member stays locked to it. Default of the group config"
                    + " share.record.lock.duration.ms.")
            .build();
    public static final ConfigKey<Integer> SHARE_MIN_RECORD_LOCK_DURATION_MS = ConfigKey.integer(
                    "group.share.min.record.lock.duration.ms", 15_000)
            .atLeast(1)
            .doc("The lowest share.record.lock.duration.ms a share group may set.")
            .build();
    public static final ConfigKey<Integer> SHARE_MAX_RECORD_LOCK_DURATION_MS = ConfigKey.integer(
                    "group.share.max.record.lock.duration.ms", 60_000)
            .atLeast(1)
            .doc("The highest share.record.lock.duration.ms a share group may set.")
            .build();
    public static final ConfigKey<Integer> SHARE_DELIVERY_COUNT_LIMIT = ConfigKey.integer(
                    "group.share.delivery.count.limit", 5)
            .between(2, 10)
            .doc("Deliveries after which a record a share group has not accepted is archived (and dead-lettered)."
                    + " Default of the group config share.delivery.count.limit.")
            .build();
    public static final ConfigKey<Integer> SHARE_PARTITION_MAX_RECORD_LOCKS = ConfigKey.integer(
                    "group.share.partition.max.record.locks", 2_000)
            .between(100, 10_000)
            .doc("The in-flight window of a share-partition: records from its start offset on that may be acquired,"
                    + " delayed or prioritized. Default of the group config share.partition.max.record.locks.")
            .build();
    public static final ConfigKey<Integer> SHARE_MAX_SIZE = ConfigKey.integer("group.share.max.size", 200)
            .atLeast(1)
            .doc("The most members a share group may have (GROUP_MAX_SIZE_REACHED beyond).")
            .build();
    public static final ConfigKey<Integer> SHARE_MAX_SHARE_SESSIONS = ConfigKey.integer(
                    "group.share.max.share.sessions", 2_000)
            .atLeast(1)
            .doc("The most share sessions (one per share consumer and broker) this broker keeps"
                    + " (SHARE_SESSION_LIMIT_REACHED beyond).")
            .build();
    public static final ConfigKey<Integer> SHARE_GROUPS_MAX = ConfigKey.integer("wharf.share.groups.max", 1_000)
            .atLeast(1)
            .doc("The most share groups this broker coordinates; each of their share-partitions holds up to"
                    + " share.partition.max.record.locks records in memory, on the leader of its partition.")
            .build();
    public static final ConfigKey<Integer> SHARE_PERSISTER_TIMEOUT_MS = ConfigKey.integer(
                    "wharf.share.persister.timeout.ms", 30_000)
            .atLeast(1)
            .doc("How long a share-partition leader keeps sending a read or write of share-partition state to the"
                    + " share coordinator while the __share_group_state partition moves (a failover) before the"
                    + " operation fails.")
            .build();
    public static final ConfigKey<Integer> SHARE_STATE_TOPIC_NUM_PARTITIONS = ConfigKey.integer(
                    "share.coordinator.state.topic.num.partitions", 50)
            .atLeast(1)
            .doc("Partitions of __share_group_state, created when the first share group needs it; a share-partition"
                    + " lives in one.")
            .build();
    public static final ConfigKey<Integer> SHARE_STATE_TOPIC_REPLICATION_FACTOR = ConfigKey.integer(
                    "share.coordinator.state.topic.replication.factor", 3)
            .atLeast(1)
            .doc("Replicas of __share_group_state in a cluster; a single node keeps one.")
            .build();
    public static final ConfigKey<Integer> SHARE_STATE_TOPIC_MIN_ISR = ConfigKey.integer(
                    "share.coordinator.state.topic.min.isr", 2)
            .atLeast(1)
            .doc("min.insync.replicas of __share_group_state in a cluster (at most its replication factor).")
            .build();
    public static final ConfigKey<Integer> TRANSACTION_STATE_LOG_NUM_PARTITIONS = ConfigKey.integer(
                    "transaction.state.log.num.partitions", 50)
            .atLeast(1)
            .doc("Partitions of __transaction_state.")
            .build();
    public static final ConfigKey<Integer> TRANSACTION_STATE_LOG_REPLICATION_FACTOR = ConfigKey.integer(
                    "transaction.state.log.replication.factor", 3)
            .atLeast(1)
            .doc("Replicas of __transaction_state in a cluster; a single node keeps one.")
            .build();
    public static final ConfigKey<Integer> TRANSACTION_STATE_LOG_MIN_ISR = ConfigKey.integer(
                    "transaction.state.log.min.isr", 2)
            .atLeast(1)
            .doc("min.insync.replicas of __transaction_state in a cluster (at most its replication factor).")
            .build();
    public static final ConfigKey<Integer> TRANSACTION_STATE_LOG_SEGMENT_BYTES = ConfigKey.integer(
                    "transaction.state.log.segment.bytes", 100 << 20)
            .atLeast(1024)
            .doc("Segment size of __transaction_state.")
            .build();
    public static final ConfigKey<Integer> TRANSACTION_MAX_TIMEOUT_MS = ConfigKey.integer(
                    "transaction.max.timeout.ms", 900_000)
            .atLeast(1)
            .doc("The largest transaction.timeout.ms a producer may ask for; more is INVALID_TRANSACTION_TIMEOUT.")
            .build();
    public static final ConfigKey<Long> TRANSACTIONAL_ID_EXPIRATION_MS = ConfigKey.longKey(
                    "transactional.id.expiration.ms", 604_800_000L)
            .atLeast(1)
            .doc("How long a transactional id with no transaction open is kept after its last use.")
            .build();
    public static final ConfigKey<Integer> TRANSACTION_ABORT_CHECK_INTERVAL_MS = ConfigKey.integer(
                    "transaction.abort.timed.out.transaction.cleanup.interval.ms", 10_000)
            .atLeast(1)
            .doc("How often open transactions past their timeout are aborted and idle transactional ids expired.")
            .build();
    public static final ConfigKey<Integer> TRANSACTION_VERSION = ConfigKey.integer("transaction.version", 2)
            .between(0, 2)
            .doc("The transaction.version feature level ApiVersions reports as finalized. 2 (KIP-890 part 2): a new "
                    + "producer epoch with every transaction, partitions and group offsets added by the produce and "
                    + "the offset commit themselves. 1 or 0: the epoch stays, clients add partitions first.")
            .build();
    public static final ConfigKey<Integer> SHARE_STATE_TOPIC_SEGMENT_BYTES = ConfigKey.integer(
                    "share.coordinator.state.topic.segment.bytes", 100 << 20)
            .atLeast(1024)
            .doc("Segment size of __share_group_state.")
            .build();
    public static final ConfigKey<Integer> SHARE_SNAPSHOT_UPDATE_RECORDS_PER_SNAPSHOT = ConfigKey.integer(
                    "share.coordinator.snapshot.update.records.per.snapshot",
                    ShareCoordinator.DEFAULT_UPDATES_PER_SNAPSHOT)
            .atLeast(1)
            .doc("Update records a share-partition's state takes in __share_group_state after a whole-state record"
                    + " before the next write is a whole-state record again. The topic is compacted, so this bounds"
                    + " what it keeps of each share-partition: one whole state and at most this many updates.")
            .build();
    public static final ConfigKey<String> DEAD_LETTER_TOPIC_PREFIX = ConfigKey.string(
                    "errors.deadletterqueue.topic.name.prefix", "dlq.")
            .doc("The prefix every share group dead-letter topic (errors.deadletterqueue.topic.name) must have;"
                    + " empty allows any name.")
            .build();
    public static final ConfigKey<Boolean> DEAD_LETTER_AUTO_CREATE = ConfigKey.bool(
                    "errors.deadletterqueue.auto.create.topics.enable", true)
            .doc("Create a share group's dead-letter topic (with errors.deadletterqueue.group.enable=true) when the"
                    + " first record is dead-lettered and it does not exist.")
            .build();
    public static final ConfigKey<Long> COORDINATOR_SNAPSHOT_BYTES = ConfigKey.longKey(
                    "wharf.coordinator.snapshot.bytes", 64L << 20)
            .atLeast(1024)
            .doc("When a coordinator partition grows past this (and twice its last snapshot), its live state is"
                    + " rewritten and everything before it deleted: what keeps __consumer_offsets small.")
            .build();
    public static final ConfigKey<Integer> PARTITIONS_PER_TOPIC_MAX = ConfigKey.integer(
                    "wharf.partitions.per.topic.max", 10_000)
            .atLeast(1)
            .doc("The most partitions one topic may have; more is refused with INVALID_PARTITIONS.")
            .build();
    public static final ConfigKey<Integer> PARTITIONS_MAX = ConfigKey.integer("wharf.partitions.max", 50_000)
            .atLeast(1)
            .doc("The most partitions the cluster may have in all; each is a directory of open files.")
            .build();
    public static final ConfigKey<Boolean> DELETE_TOPIC_ENABLE = ConfigKey.bool("delete.topic.enable", true)
            .doc("Whether topics may be deleted.")
            .build();
    public static final ConfigKey<Integer> SOCKET_REQUEST_MAX_BYTES = ConfigKey.integer(
                    "socket.request.max.bytes", 100 << 20)
            .atLeast(1)
            .doc("The largest request frame; a larger one closes its connection.")
            .build();
    public static final ConfigKey<Long> CONNECTIONS_MAX_IDLE_MS = ConfigKey.longKey("connections.max.idle.ms", 600_000L)
            .atLeast(1)
            .doc("Close connections that send and receive nothing for this long.")
            .build();
    public static final ConfigKey<Long> QUEUED_MAX_REQUEST_BYTES = ConfigKey.longKey(
                    "queued.max.request.bytes", 256L << 20)
            .atLeast(1)
            .doc("Request bytes the broker holds at once over all connections; past it, connections are not read"
                    + " until memory frees up. A single request larger than this is still admitted alone.")
            .build();
    public static final ConfigKey<Integer> MAX_IN_FLIGHT_REQUESTS = ConfigKey.integer(
                    "wharf.max.in.flight.requests.per.connection", 32)
            .atLeast(1)
            .doc("Unanswered requests a connection may have before the broker stops reading it; responses always"
                    + " leave in request order.")
            .build();
    public static final ConfigKey<Integer> NUM_NETWORK_THREADS = ConfigKey.integer(
                    "num.network.threads", Math.max(1, Runtime.getRuntime().availableProcessors()))
            .atLeast(1)
            .defaultDescribedAs("the number of processors")
            .doc("Event-loop threads that run connections.")
            .build();
    public static final ConfigKey<Integer> NUM_IO_THREADS = ConfigKey.integer("num.io.threads", 8)
            .atLeast(1)
            .doc("Threads that run request handlers (appends, reads, admin work) off the event loops.")
            .build();
    public static final ConfigKey<Integer> LOG_FLUSH_THREADS = ConfigKey.integer("wharf.log.flush.threads", 4)
            .atLeast(1)
            .doc("Threads that run group-commit fsyncs, for all partitions.")
            .build();
    public static final ConfigKey<Integer> LOG_PREALLOCATE_BYTES = ConfigKey.integer(
                    "wharf.log.preallocate.bytes", 1 << 20)
            .atLeast(0)
            .doc("Under wharf.flush.policy=acks-all, each busy active segment keeps this many bytes of zeros written"
                    + " ahead of its appends, so that an fsync writes only data and no file-system metadata; 0 turns"
                    + " it off.")
            .build();
    public static final ConfigKey<Boolean> JOURNAL_ENABLE = ConfigKey.bool("wharf.journal.enable", true)
            .doc("Every append also goes to one journal per data directory, and one fdatasync of it makes a whole"
                    + " round of appends durable, however many partitions they went to; the partitions' segments are"
                    + " then forced only in the background. false: each partition forces its own segment file. A"
                    + " journal left by an earlier run is replayed at start either way.")
            .build();
    public static final ConfigKey<Integer> JOURNAL_FILE_BYTES = ConfigKey.integer(
                    "wharf.journal.file.bytes", JournalSettings.DEFAULT_FILE_BYTES)
            .between(64 * 1024, 1 << 30)
            .doc("The size of each journal file, zeroed when it is made and recycled after. An append larger than"
                    + " this cannot be journaled and is refused.")
            .build();
    public static final ConfigKey<Long> JOURNAL_CHECKPOINT_INTERVAL_MS = ConfigKey.longKey(
                    "wharf.journal.checkpoint.interval.ms",
                    JournalSettings.defaults().checkpointIntervalMs())
            .atLeast(1)
            .doc("How often every partition's segments are forced, so that the journal before that point can be"
                    + " recycled.")
            .build();
    public static final ConfigKey<Long> JOURNAL_CHECKPOINT_BYTES = ConfigKey.longKey(
                    "wharf.journal.checkpoint.bytes", JournalSettings.defaults().checkpointBytes())
            .atLeast(1)
            .doc("Journal bytes written since the last checkpoint that start the next one early: what recovery"
                    + " replays at most, and about the disk the journal takes.")
            .build();
    public static final ConfigKey<Boolean> LOG_CLEANER_ENABLE = ConfigKey.bool("log.cleaner.enable", true)
            .doc("Run the log cleaner, which compacts the topics whose cleanup.policy has compact (the internal"
                    + " topics among them).")
            .build();
    public static final ConfigKey<Integer> LOG_CLEANER_THREADS = ConfigKey.integer("log.cleaner.threads", 1)
            .atLeast(1)
            .doc("Threads that clean compacted logs, each the dirtiest log no other thread is cleaning.")
            .build();
    public static final ConfigKey<Long> LOG_CLEANER_DEDUPE_BUFFER_SIZE = ConfigKey.longKey(
                    "log.cleaner.dedupe.buffer.size", 128L << 20)
            .atLeast(1024)
            .doc("Memory for the cleaners' key-to-offset maps, shared equally by the threads, 24 bytes per key (at a"
                    + " load factor of 0.9); a log with more dirty keys than fit is cleaned in several passes.")
            .build();
    public static final ConfigKey<Double> LOG_CLEANER_IO_MAX_BYTES_PER_SECOND = ConfigKey.doubleKey(
                    "log.cleaner.io.max.bytes.per.second", Double.MAX_VALUE)
            .check(v -> v != null && v > 0, "(0,...]")
            .doc("The most bytes per second all cleaner threads together read and write, so that cleaning leaves"
                    + " the disk to produce and fetch.")
            .build();
    public static final ConfigKey<Long> LOG_CLEANER_BACKOFF_MS = ConfigKey.longKey("log.cleaner.backoff.ms", 15_000L)
            .atLeast(0)
            .doc("How long a cleaner thread sleeps when no log is dirty enough to clean.")
            .build();
    public static final ConfigKey<Double> LOG_CLEANER_BUSY_SHARE = ConfigKey.doubleKey(
                    "wharf.log.cleaner.busy.share", LogCleaner.Settings.DEFAULT_BUSY_SHARE)
            .check(v -> v != null && v > 0 && v <= 1, "(0,...,1]")
            .doc("While partitions are being appended to, the share of its time a cleaner thread works: after every"
                    + " 20 ms of work in which an append came, it pauses for the rest, so cleaning does not take the"
                    + " CPU that produce needs. With no appends it works unhindered; 1 never pauses.")
            .build();
    public static final ConfigKey<Integer> NUM_RECOVERY_THREADS = ConfigKey.integer(
                    "num.recovery.threads.per.data.dir", 2)
            .atLeast(1)
            .doc("Threads that open and recover partition logs at start.")
            .build();
    public static final ConfigKey<Long> LOG_RETENTION_CHECK_INTERVAL_MS = ConfigKey.longKey(
                    "log.retention.check.interval.ms", 300_000L)
            .atLeast(1)
            .doc("How often retention looks for segments to delete.")
            .build();
    public static final ConfigKey<Long> HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS = ConfigKey.longKey(
                    "replica.high.watermark.checkpoint.interval.ms", 5_000L)
            .atLeast(1)
            .doc("How often the high watermarks are written to disk.")
            .build();
    public static final ConfigKey<Long> PRODUCER_ID_EXPIRATION_MS = ConfigKey.longKey(
                    "producer.id.expiration.ms", 86_400_000L)
            .atLeast(1)
            .doc("How long a partition remembers an idle producer id for duplicate detection.")
            .build();
    public static final ConfigKey<Integer> MAX_REQUEST_PARTITION_SIZE_LIMIT = ConfigKey.integer(
                    "max.request.partition.size.limit", 2000)
            .atLeast(1)
            .doc("The most partitions one DescribeTopicPartitions response describes; a client that asks for more"
                    + " gets a cursor to continue from.")
            .build();
    public static final ConfigKey<Long> SHUTDOWN_TIMEOUT_MS = ConfigKey.longKey("wharf.shutdown.timeout.ms", 30_000L)
            .atLeast(0)
            .doc("On shutdown, how long to wait for requests already read to be answered.")
            .build();

    /**
     * The keys above, in documentation order; the cluster keys follow in {@link ClusterConfigs#KEYS}, the topic
     * defaults in {@link TopicConfigs#BROKER_KEYS}.
     */
    public static final List<ConfigKey<?>> OWN_KEYS = List.of(
            NODE_ID,
            LISTENERS,
            ADVERTISED_LISTENERS,
            LOG_DIRS,
            LOG_DIR,
            NUM_PARTITIONS,
            DEFAULT_REPLICATION_FACTOR,
            PARTITIONS_PER_TOPIC_MAX,
            PARTITIONS_MAX,
            AUTO_CREATE_TOPICS_ENABLE,
            DELETE_TOPIC_ENABLE,
            SOCKET_REQUEST_MAX_BYTES,
            CONNECTIONS_MAX_IDLE_MS,
            QUEUED_MAX_REQUEST_BYTES,
            MAX_IN_FLIGHT_REQUESTS,
            NUM_NETWORK_THREADS,
            NUM_IO_THREADS,
            LOG_FLUSH_THREADS,
            LOG_PREALLOCATE_BYTES,
            JOURNAL_ENABLE,
            JOURNAL_FILE_BYTES,
            JOURNAL_CHECKPOINT_INTERVAL_MS,
            JOURNAL_CHECKPOINT_BYTES,
            LOG_CLEANER_ENABLE,
            LOG_CLEANER_THREADS,
            LOG_CLEANER_DEDUPE_BUFFER_SIZE,
            LOG_CLEANER_IO_MAX_BYTES_PER_SECOND,
            LOG_CLEANER_BACKOFF_MS,
            LOG_CLEANER_BUSY_SHARE,
            NUM_RECOVERY_THREADS,
            LOG_RETENTION_CHECK_INTERVAL_MS,
            HIGH_WATERMARK_CHECKPOINT_INTERVAL_MS,
            PRODUCER_ID_EXPIRATION_MS,
            MAX_REQUEST_PARTITION_SIZE_LIMIT,
            SHUTDOWN_TIMEOUT_MS,
            OFFSETS_TOPIC_NUM_PARTITIONS,
            OFFSETS_TOPIC_REPLICATION_FACTOR,
            OFFSETS_TOPIC_SEGMENT_BYTES,
            OFFSETS_RETENTION_MINUTES,
            OFFSET_METADATA_MAX_BYTES,
            GROUP_MIN_SESSION_TIMEOUT_MS,
            GROUP_MAX_SESSION_TIMEOUT_MS,
            GROUP_INITIAL_REBALANCE_DELAY_MS,
            GROUP_MAX_SIZE,
            GROUP_CONSUMER_SESSION_TIMEOUT_MS,
            GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS,
            GROUP_CONSUMER_ASSIGNORS,
            GROUP_PROTOCOL_METADATA_MAX_BYTES,
            SHARE_SESSION_TIMEOUT_MS,
            SHARE_MIN_SESSION_TIMEOUT_MS,
            SHARE_MAX_SESSION_TIMEOUT_MS,
            SHARE_HEARTBEAT_INTERVAL_MS,
            SHARE_MIN_HEARTBEAT_INTERVAL_MS,
            SHARE_MAX_HEARTBEAT_INTERVAL_MS,
            SHARE_RECORD_LOCK_DURATION_MS,
            SHARE_MIN_RECORD_LOCK_DURATION_MS,
            SHARE_MAX_RECORD_LOCK_DURATION_MS,
            SHARE_DELIVERY_COUNT_LIMIT,
            SHARE_PARTITION_MAX_RECORD_LOCKS,
            SHARE_MAX_SIZE,
            SHARE_MAX_SHARE_SESSIONS,
            SHARE_GROUPS_MAX,
            SHARE_PERSISTER_TIMEOUT_MS,
            SHARE_STATE_TOPIC_NUM_PARTITIONS,
            SHARE_STATE_TOPIC_REPLICATION_FACTOR,
            SHARE_STATE_TOPIC_MIN_ISR,
            SHARE_STATE_TOPIC_SEGMENT_BYTES,
            SHARE_SNAPSHOT_UPDATE_RECORDS_PER_SNAPSHOT,
            TRANSACTION_STATE_LOG_NUM_PARTITIONS,
            TRANSACTION_STATE_LOG_REPLICATION_FACTOR,
            TRANSACTION_STATE_LOG_MIN_ISR,
            TRANSACTION_STATE_LOG_SEGMENT_BYTES,
            TRANSACTION_MAX_TIMEOUT_MS,
            TRANSACTIONAL_ID_EXPIRATION_MS,
            TRANSACTION_ABORT_CHECK_INTERVAL_MS,
            TRANSACTION_VERSION,
            DEAD_LETTER_TOPIC_PREFIX,
            DEAD_LETTER_AUTO_CREATE,
            COORDINATOR_SNAPSHOT_BYTES);

    /** Every broker key: the broker's own and the broker-wide topic defaults. */
    public static final ConfigDefinitions DEFINITIONS = definitions();

    private static ConfigDefinitions definitions() {
        List<ConfigKey<?>> all = new ArrayList<>(OWN_KEYS);
        all.addAll(ClusterConfigs.KEYS);
        all.addAll(AmqpConfigs.KEYS);
        all.addAll(TopicConfigs.BROKER_KEYS);
        return ConfigDefinitions.of(all);
    }

    /**
     * Whether a broker key may be changed while the broker runs (IncrementalAlterConfigs): the broker-wide defaults of
     * topic settings and the replication throttles may; everything else is read once at start.
     */
    public static boolean isDynamic(String name) {
        return TopicConfigs.topicKeyOf(name) != null || ClusterConfigs.DYNAMIC_KEYS.contains(name);
    }

    private final ConfigValues values;
    private final Set<String> ignored;

    private BrokerConfig(ConfigValues values, Set<String> ignored) {
        this.values = values;
        this.ignored = ignored;
        ClusterSettings.check(this);
    }

    /**
     * Parses settings (from {@code server.properties} and overrides). Keys of Apache Kafka's broker that Wharf does
     * not read are accepted and listed by {@link #ignored()}, so a Kafka {@code server.properties} works unchanged.
     *
     * @throws ConfigException for an unknown key or an invalid value, naming it, or settings that contradict each
     *     other (a voter list without this node as a controller, a listener that is not PLAINTEXT, ...)
     */
    public static BrokerConfig parse(Map<String, String> settings) {
        Set<String> ignored = new TreeSet<>();
        Map<String, String> known = withoutKafkaOnlyKeys(settings, ignored);
        return new BrokerConfig(ConfigValues.of(DEFINITIONS.parse(known)), ignored);
    }

    public static BrokerConfig defaults() {
        return parse(Map.of());
    }

    /** A copy with {@code overrides} applied. */
    public BrokerConfig with(Map<String, String> overrides) {
        Set<String> moreIgnored = new TreeSet<>(ignored);
        Map<String, String> known = withoutKafkaOnlyKeys(overrides, moreIgnored);
        return new BrokerConfig(values.with(DEFINITIONS.parse(known)), moreIgnored);
    }

    private static Map<String, String> withoutKafkaOnlyKeys(Map<String, String> settings, Set<String> ignored) {
        Map<String, String> known = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (!DEFINITIONS.contains(key) && KafkaBrokerKeys.contains(key)) {
                ignored.add(key);
            } else {
                known.put(key, value);
            }
        });
        return known;
    }

    /** Settings given that name Kafka broker keys Wharf does not read; the broker warns about them at start. */
    public Set<String> ignored() {
        return ignored;
    }

    /** What this node is in a cluster, read from the cluster keys. */
    public ClusterSettings cluster() {
        return ClusterSettings.of(this);
    }

    public <T> T get(ConfigKey<T> key) {
        return values.get(key);
    }

    public boolean isSet(ConfigKey<?> key) {
        return values.isSet(key);
    }

    /** The values set in {@code server.properties} or by overrides, by name. */
    public Map<String, Object> explicit() {
        return new LinkedHashMap<>(values.explicit());
    }

    public int nodeId() {
        return get(NODE_ID);
    }

    /** Every listener, the controller's included. */
    public List<Endpoint> allListeners() {
        return Endpoint.parseList(get(LISTENERS));
    }

    /** The Kafka listeners clients and other brokers use: every listener but the metadata quorum's and AMQP's. */
    public List<Endpoint> listeners() {
        List<String> controllerNames = get(ClusterConfigs.CONTROLLER_LISTENER_NAMES);
        return allListeners().stream()
                .filter(e -> !controllerNames.contains(e.listenerName()) && !isAmqp(e))
                .toList();
    }

    /** The listeners that speak AMQP 0-9-1. */
    public List<Endpoint> amqpListeners() {
        return allListeners().stream().filter(this::isAmqp).toList();
    }

    /** Whether a listener speaks AMQP: named AMQP, or mapped to AMQP in listener.security.protocol.map. */
    public boolean isAmqp(Endpoint listener) {
        return listener.listenerName().equals(AmqpConfigs.AMQP_LISTENER)
                || AmqpConfigs.AMQP_LISTENER.equals(securityProtocolOf(listener.listenerName()));
    }

    /** The security protocol listener.security.protocol.map gives a listener, or null. */
    public String securityProtocolOf(String listenerName) {
        String map = get(ClusterConfigs.LISTENER_SECURITY_PROTOCOL_MAP);
        if (map == null) {
            return null;
        }
        String protocol = null;
        for (String entry : map.split(",")) {
            String[] parts = entry.trim().split(":");
            if (parts.length == 2
                    && parts[0].trim().toUpperCase(java.util.Locale.ROOT).equals(listenerName)) {
                protocol = parts[1].trim().toUpperCase(java.util.Locale.ROOT);
            }
        }
        return protocol;
    }

    /** The advertised client listeners, or the listeners when none are configured. */
    public List<Endpoint> advertisedListeners() {
        String advertised = get(ADVERTISED_LISTENERS);
        if (advertised == null) {
            return listeners();
        }
        List<String> controllerNames = get(ClusterConfigs.CONTROLLER_LISTENER_NAMES);
        return Endpoint.parseList(advertised).stream()
                .filter(e -> !controllerNames.contains(e.listenerName()) && !isAmqp(e))
                .toList();
    }

    /** The data directory: the first of {@code log.dirs}, else {@code log.dir}. */
    public Path dataDir() {
        List<String> dirs = get(LOG_DIRS);
        return Path.of(dirs != null && !dirs.isEmpty() ? dirs.get(0) : get(LOG_DIR));
    }

    /** The directory of the metadata log: {@code metadata.log.dir}, else the data directory's. */
    public Path metadataDir() {
        String dir = get(ClusterConfigs.METADATA_LOG_DIR);
        return (dir != null ? Path.of(dir) : dataDir()).resolve(METADATA_DIR_NAME);
    }

    /** The metadata log's directory under {@code metadata.log.dir} or the data directory. */
    public static final String METADATA_DIR_NAME = "__cluster_metadata";

    private static boolean validEndpoints(String text) {
        try {
            return !Endpoint.parseList(text).isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** How the data directory's journal runs; null when {@code wharf.journal.enable} is false. */
    public JournalSettings journalSettings() {
        if (!get(JOURNAL_ENABLE)) {
            return null;
        }
        JournalSettings defaults = JournalSettings.defaults();
        return new JournalSettings(
                get(JOURNAL_FILE_BYTES),
                defaults.bufferBytes(),
                get(JOURNAL_CHECKPOINT_INTERVAL_MS),
                get(JOURNAL_CHECKPOINT_BYTES),
                defaults.statsLogIntervalMs());
    }
}
