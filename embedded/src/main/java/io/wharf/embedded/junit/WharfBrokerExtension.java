package io.wharf.embedded.junit;

import io.wharf.embedded.EmbeddedBroker;
import java.util.Map;
import java.util.Optional;

/**
 * The JUnit 5 extension behind {@link WharfBroker}; it can also be registered on a field, which then reaches the
 * broker through {@link #broker()}:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final WharfBrokerExtension WHARF = new WharfBrokerExtension().config("num.partitions", "3");
 * }</pre>
 *
 * <p>How long a broker lives follows how the extension is registered: one per class with {@code @WharfBroker} or a
 * static field (one per test with {@code scope = TEST}), one per test with an instance field. A parameter of type
 * {@link EmbeddedBroker} receives the nearest broker: the test's own, else the class's, else an enclosing class's.
 */
public final class WharfBrokerExtension extends EmbeddedExtension<EmbeddedBroker, WharfBroker> {

    /** An extension with the broker's embedded defaults; add settings with {@link #config(String, String)}. */
    public WharfBrokerExtension() {
        super(EmbeddedBroker.class, WharfBroker.class, "Wharf broker");
    }

    /** A broker setting under its {@code server.properties} name; call before the extension starts a broker. */
    public WharfBrokerExtension config(String key, String value) {
        addConfig(key, value);
        return this;
    }

    /**
     * The broker this extension started last.
     *
     * @throws IllegalStateException before the extension has started one
     */
    public EmbeddedBroker broker() {
        return current();
    }

    /** {@code host:port} of {@link #broker()}. */
    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    @Override
    EmbeddedBroker start(Optional<WharfBroker> annotation, Map<String, String> settings) {
        return EmbeddedBroker.builder().configs(settings).start();
    }

    @Override
    WharfBroker.Scope scope(WharfBroker annotation) {
        return annotation.scope();
    }

    @Override
    String[] configs(WharfBroker annotation) {
        return annotation.configs();
    }
}
