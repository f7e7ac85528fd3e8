package io.wharf.embedded.junit;

import java.lang.annotation.Annotation;
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
 * The lifecycle both JUnit extensions share: when an embedded broker or cluster starts and stops, and which test
 * receives which. How long one lives follows how the extension is registered:
 *
 * <pre>
 * registration                      broker or cluster
 * the annotation on the class       one per class, or one per test with scope = TEST
 * @RegisterExtension static field   one per class (JUnit calls beforeAll for it)
 * @RegisterExtension instance field one per test (JUnit registers it after the class has started)
 * </pre>
 *
 * <p>A parameter of the served type of a test method, a lifecycle method or (when it lives for the class) a
 * constructor receives the nearest one: the test's own, else the class's, else an enclosing class's. JUnit calls the
 * callbacks; a test may call {@link #current()} from any thread.
 *
 * @param <T> what the extension starts
 * @param <A> the annotation that registers it on a class
 */
abstract class EmbeddedExtension<T extends AutoCloseable, A extends Annotation>
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    /** The nearest running instance in a context's store, whichever registration started it. */
    private static final String CURRENT = "current";

    /** Store key: this registration has seen beforeAll, so it is class-level (annotation or static field). */
    private record ClassLevel(EmbeddedExtension<?, ?> owner) {}

    /** Store key: the instance this registration started in a context, which only it may stop. */
    private record Owned(EmbeddedExtension<?, ?> owner) {}

    private final Class<T> type;
    private final Class<A> annotationType;
    /** What it is called in messages, such as "Wharf broker". */
    private final String name;

    private final ExtensionContext.Namespace namespace;
    private final Map<String, String> configs = new LinkedHashMap<>();
    private volatile T current;

    EmbeddedExtension(Class<T> type, Class<A> annotationType, String name) {
        this.type = type;
        this.annotationType = annotationType;
        this.name = name;
        this.namespace = ExtensionContext.Namespace.create(type);
    }

    /** Starts one, with the annotation's settings (if the class has it) overlaid by the registration's. */
    abstract T start(Optional<A> annotation, Map<String, String> settings);

    abstract WharfBroker.Scope scope(A annotation);

    abstract String[] configs(A annotation);

    void addConfig(String key, String value) {
        configs.put(key, value);
    }

    /**
     * The instance this extension started last.
     *
     * @throws IllegalStateException before the extension has started one
     */
    T current() {
        T running = current;
        if (running == null) {
            throw new IllegalStateException("no " + name + " is running yet: the extension"
                    + " starts it before the first test (static field or @" + annotationType.getSimpleName()
                    + ") or before each test (instance field)");
        }
        return running;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(namespace);
        // Remembered so that beforeEach knows this registration is class-level, not an instance field.
        store.put(new ClassLevel(this), Boolean.TRUE);
        if (scope(context) == WharfBroker.Scope.CLASS && store.get(CURRENT) == null) {
            startIn(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        boolean classLevel = context.getStore(namespace).get(new ClassLevel(this)) != null;
        if (!classLevel || scope(context) == WharfBroker.Scope.TEST) {
            startIn(context);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        stopOwn(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stopOwn(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == type;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        T running = context.getStore(namespace).get(CURRENT, type);
        if (running == null) {
            String why = parameter.getDeclaringExecutable() instanceof Constructor<?>
                    ? "a " + name + " started per test does not exist yet when the test class is constructed;"
                            + " take it as a parameter of the test or of a @BeforeEach method"
                    : "no " + name + " is running for this test";
            throw new ParameterResolutionException(why);
        }
        return running;
    }

    private void startIn(ExtensionContext context) {
        Optional<A> annotation = annotation(context);
        Map<String, String> settings = new LinkedHashMap<>();
        annotation.ifPresent(a -> settings.putAll(parse(configs(a))));
        settings.putAll(configs);
        T started = start(annotation, settings);
        ExtensionContext.Store store = context.getStore(namespace);
        store.put(CURRENT, started);
        store.put(new Owned(this), started);
        current = started;
    }

    /** Stops what this extension started in exactly this context, if anything. */
    private void stopOwn(ExtensionContext context) throws Exception {
        ExtensionContext.Store store = context.getStore(namespace);
        // get() would also see an enclosing context's instance; only the one put in this very context is ours.
        T owned = store.remove(new Owned(this), type);
        if (owned == null) {
            return;
        }
        store.remove(CURRENT);
        if (current == owned) {
            current = null;
        }
        owned.close();
    }

    private WharfBroker.Scope scope(ExtensionContext context) {
        return annotation(context).map(this::scope).orElse(WharfBroker.Scope.CLASS);
    }

    private Optional<A> annotation(ExtensionContext context) {
        return context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, annotationType));
    }

    private Map<String, String> parse(String[] pairs) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(
                        "@" + annotationType.getSimpleName() + " configs need key=value, got '" + pair + "'");
            }
            settings.put(
                    pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return settings;
    }
}
