package io.wharf.server;

import io.wharf.common.TopicId;
import io.wharf.common.io.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The identity of a data directory, in {@value #FILE_NAME}: which cluster and which node it belongs to. A single node
 * writes it when the directory is first used; a node of a cluster once it has learnt the cluster's id from the
 * metadata quorum. A broker refuses a directory that belongs to another node, and stops when it finds the directory
 * belongs to another cluster than its quorum's.
 *
 * <pre>
 * version=1
 * cluster.id=3Kf0nQ2hT3qO7sW1xYb6Zg
 * node.id=1
 * </pre>
 *
 * @param clusterId null while a new node of a cluster has not learnt it
 */
public record MetaProperties(String clusterId, int nodeId) {

    public static final String FILE_NAME = "meta.properties";

    /**
     * Reads the directory's identity, or gives it one (a new random cluster id) when it has none: what a single node
     * does.
     *
     * @throws IllegalStateException when the directory belongs to another node
     */
    public static MetaProperties loadOrCreate(Path dataDir, int nodeId) throws IOException {
        MetaProperties loaded = load(dataDir, nodeId);
        if (loaded.clusterId() != null) {
            return loaded;
        }
        MetaProperties created = new MetaProperties(TopicId.random().toString(), nodeId);
        store(dataDir, created);
        return created;
    }

    /**
     * Reads the directory's identity; the cluster id is null when the directory has none yet.
     *
     * @throws IllegalStateException when the directory belongs to another node
     */
    public static MetaProperties load(Path dataDir, int nodeId) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return new MetaProperties(null, nodeId);
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        String clusterId = properties.getProperty("cluster.id");
        int storedNode = Integer.parseInt(properties.getProperty("node.id", "-1"));
        if (clusterId == null || storedNode != nodeId) {
            throw new IllegalStateException("The data directory " + dataDir + " belongs to node " + storedNode
                    + ", not node " + nodeId + "; use another log.dirs or node.id");
        }
        return new MetaProperties(clusterId, nodeId);
    }

    /** Writes the directory's identity, atomically. */
    public static void store(Path dataDir, MetaProperties meta) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("version", "1");
        properties.setProperty("cluster.id", meta.clusterId());
        properties.setProperty("node.id", String.valueOf(meta.nodeId()));
        StringWriter text = new StringWriter();
        properties.store(text, "Wharf data directory identity; do not edit");
        AtomicFiles.write(dataDir.resolve(FILE_NAME), text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
