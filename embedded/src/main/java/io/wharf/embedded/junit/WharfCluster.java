package io.wharf.embedded.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against an embedded Wharf cluster: {@link #brokers()} nodes in this JVM, each a
 * broker and a voter of the metadata quorum, with its own ports and data directory. Test methods, lifecycle methods
 * and constructors receive it as a parameter of type {@link io.wharf.embedded.EmbeddedCluster}, which also stops,
 * kills and restarts single brokers:
 *
 * <pre>{@code
 * @WharfCluster(brokers = 3, configs = "default.replication.factor=3")
 * class FailoverTest {
 *     @Test
 *     void survives(EmbeddedCluster cluster) { ... cluster.kill(cluster.leaderOf("orders", 0)) ... }
 * }
 * }</pre>
 *
 * <p>With {@link WharfBroker.Scope#CLASS} (the default) one cluster serves every test of the class, nested classes
 * included; with {@link WharfBroker.Scope#TEST} each test gets a fresh cluster with empty data.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(WharfClusterExtension.class)
public @interface WharfCluster {

    /** How many nodes; 3 by default. */
    int brokers() default 3;

    WharfBroker.Scope scope() default WharfBroker.Scope.CLASS;

    /** Settings of every node as {@code key=value}, for example {@code "min.insync.replicas=2"}. */
    String[] configs() default {};
}
