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
 * The identity of a data directory, in {@value #FILE_NAME}: which cluster and which node it belongs to. Written once
 * when the directory is first used; a broker refuses a directory that belongs to another node.
 *
 * <pre>
 * version=1
 * cluster.id=3Kf0nQ2hT3qO7sW1xYb6Zg
 * node.id=1
 * </pre>
 */
public record MetaProperties(String clusterId, int nodeId) {

    public static final String FILE_NAME = "meta.properties";

    /**
     * Reads the directory's identity, or gives it one (a new random cluster id) when it has none.
     *
     * @throws IllegalStateException when the directory belongs to another node
     */
    public static MetaProperties loadOrCreate(Path dataDir, int nodeId) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
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
        MetaProperties created = new MetaProperties(TopicId.random().toString(), nodeId);
        Properties properties = new Properties();
        properties.setProperty("version", "1");
        properties.setProperty("cluster.id", created.clusterId());
        properties.setProperty("node.id", String.valueOf(nodeId));
        StringWriter text = new StringWriter();
        properties.store(text, "Wharf data directory identity; do not edit");
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
        return created;
    }
}
