package io.wharf.embedded.junit;

import io.wharf.embedded.EmbeddedBroker;
import java.lang.reflect.Constructor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link WharfBroker}; it can also be registered on a field, which then reaches the
 * broker through {@link #broker()}:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final WharfBrokerExtension WHARF = new WharfBrokerExtension().config("num.partitions", "3");
 * }</pre>
 *
 * <p>How long a broker lives follows how the extension is registered:
 *
 * <pre>
 * registration                      broker
 * @WharfBroker on the class         one per class, or one per test with scope = TEST
 * @RegisterExtension static field   one per class (JUnit calls beforeAll for it)
 * @RegisterExtension instance field one per test (JUnit registers it after the class has started)
 * </pre>
 *
 * <p>A parameter of type {@link EmbeddedBroker} of a test method, a lifecycle method or (with a class-wide broker) a
 * constructor receives the nearest broker: the test's own, else the class's, else an enclosing class's.
 *
 * <p>JUnit calls the callbacks; a test may call {@link #broker()} and {@link #bootstrapServers()} from any thread.
 */
public final class WharfBrokerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(WharfBrokerExtension.class);
    /** The nearest broker in a context's store, whichever extension started it. */
    private static final String BROKER = "broker";

    /** Store key: this registration has seen beforeAll, so it is class-level (annotation or static field). */
    private record ClassLevel(WharfBrokerExtension owner) {}

    /** Store key: the broker this registration started in a context, which only it may stop. */
    private record Owned(WharfBrokerExtension owner) {}

    private final Map<String, String> configs = new LinkedHashMap<>();
    private volatile EmbeddedBroker current;

    /** An extension with the broker's embedded defaults; add settings with {@link #config(String, String)}. */
    public WharfBrokerExtension() {}

    /** A broker setting under its {@code server.properties} name; call before the extension starts a broker. */
    public WharfBrokerExtension config(String key, String value) {
        configs.put(key, value);
        return this;
    }

    /**
     * The broker this extension started last.
     *
     * @throws IllegalStateException before the extension has started one
     */
    public EmbeddedBroker broker() {
        EmbeddedBroker broker = current;
        if (broker == null) {
            throw new IllegalStateException("no Wharf broker is running yet: the extension starts it before the"
                    + " first test (static field or @WharfBroker) or before each test (instance field)");
        }
        return broker;
    }

    /** {@code host:port} of {@link #broker()}. */
    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        // Remembered so that beforeEach knows this registration is class-level, not an instance field.
        store.put(new ClassLevel(this), Boolean.TRUE);
        if (scope(context) == WharfBroker.Scope.CLASS && store.get(BROKER) == null) {
            start(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        boolean classLevel = context.getStore(NAMESPACE).get(new ClassLevel(this)) != null;
        if (!classLevel || scope(context) == WharfBroker.Scope.TEST) {
            start(context);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopOwn(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopOwn(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        EmbeddedBroker broker = context.getStore(NAMESPACE).get(BROKER, EmbeddedBroker.class);
        if (broker == null) {
            String why = parameter.getDeclaringExecutable() instanceof Constructor<?>
                    ? "a broker started per test does not exist yet when the test class is constructed;"
                            + " take it as a parameter of the test or of a @BeforeEach method"
                    : "no Wharf broker is running for this test";
            throw new ParameterResolutionException(why);
        }
        return broker;
    }

    private void start(ExtensionContext context) {
        Map<String, String> settings = new LinkedHashMap<>();
        annotation(context).ifPresent(a -> settings.putAll(parse(a.configs())));
        settings.putAll(configs);
        EmbeddedBroker broker = EmbeddedBroker.builder().configs(settings).start();
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put(BROKER, broker);
        store.put(new Owned(this), broker);
        current = broker;
    }

    /** Stops the broker this extension started in exactly this context, if any. */
    private void stopOwn(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        // get() would also see an enclosing context's broker; only the one put in this very context is ours to stop.
        EmbeddedBroker broker = store.remove(new Owned(this), EmbeddedBroker.class);
        if (broker == null) {
            return;
        }
        store.remove(BROKER);
        if (current == broker) {
            current = null;
        }
        broker.close();
    }

    private static WharfBroker.Scope scope(ExtensionContext context) {
        return annotation(context).map(WharfBroker::scope).orElse(WharfBroker.Scope.CLASS);
    }

    private static Optional<WharfBroker> annotation(ExtensionContext context) {
        return context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, WharfBroker.class));
    }

    private static Map<String, String> parse(String[] pairs) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("@WharfBroker configs need key=value, got '" + pair + "'");
            }
            settings.put(
                    pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return settings;
    }
}
