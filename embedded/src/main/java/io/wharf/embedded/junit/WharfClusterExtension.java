package io.wharf.embedded.junit;

import io.wharf.embedded.EmbeddedCluster;
import java.util.Map;
import java.util.Optional;

/**
 * The JUnit 5 extension behind {@link WharfCluster}; it can also be registered on a field, which then reaches the
 * cluster through {@link #cluster()}:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final WharfClusterExtension WHARF = new WharfClusterExtension().brokers(3).config("min.insync.replicas", "2");
 * }</pre>
 *
 * <p>A cluster lives as a {@link WharfBrokerExtension}'s broker does: one per class with {@code @WharfCluster} or a
 * static field (one per test with {@code scope = TEST}), one per test with an instance field.
 */
public final class WharfClusterExtension extends EmbeddedExtension<EmbeddedCluster, WharfCluster> {

    private int brokers = 3;

    /** An extension for a cluster of three nodes with the embedded defaults. */
    public WharfClusterExtension() {
        super(EmbeddedCluster.class, WharfCluster.class, "Wharf cluster");
    }

    /** How many nodes a field-registered extension starts (the annotation's {@code brokers} wins on a class). */
    public WharfClusterExtension brokers(int count) {
        this.brokers = count;
        return this;
    }

    /** A setting of every node under its {@code server.properties} name; call before the cluster starts. */
    public WharfClusterExtension config(String key, String value) {
        addConfig(key, value);
        return this;
    }

    /**
     * The cluster this extension started last.
     *
     * @throws IllegalStateException before the extension has started one
     */
    public EmbeddedCluster cluster() {
        return current();
    }

    @Override
    EmbeddedCluster start(Optional<WharfCluster> annotation, Map<String, String> settings) {
        EmbeddedCluster.Builder builder = EmbeddedCluster.builder()
                .brokers(annotation.map(WharfCluster::brokers).orElse(brokers));
        settings.forEach(builder::config);
        return builder.start();
    }

    @Override
    WharfBroker.Scope scope(WharfCluster annotation) {
        return annotation.scope();
    }

    @Override
    String[] configs(WharfCluster annotation) {
        return annotation.configs();
    }
}
