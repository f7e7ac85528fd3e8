package io.wharf.embedded.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against an embedded Wharf broker. Test methods, lifecycle methods and constructors
 * receive it as a parameter of type {@link io.wharf.embedded.EmbeddedBroker}:
 *
 * <pre>{@code
 * @WharfBroker(configs = "num.partitions=3")
 * class OrdersTest {
 *     @Test
 *     void ships(EmbeddedBroker broker) { ... broker.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * <p>With {@link Scope#CLASS} (the default) one broker serves every test of the class, nested classes included;
 * with {@link Scope#TEST} each test gets a fresh broker with empty data.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(WharfBrokerExtension.class)
public @interface WharfBroker {

    /** How long one broker lives. */
    enum Scope {
        /** One broker for the whole test class, started before its first test and stopped after its last. */
        CLASS,
        /** A new broker for each test, stopped when the test ends. */
        TEST
    }

    Scope scope() default Scope.CLASS;

    /** Broker settings as {@code key=value}, for example {@code "num.partitions=3"}. */
    String[] configs() default {};
}
