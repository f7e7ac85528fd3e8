package io.wharf.tests.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of DESIGN.md, checked on the compiled main classes of every module: each outside library
 * stays behind its one seam, and the modules depend on each other only downwards.
 *
 * <pre>
 * Ratis                                 only in metadata
 * Netty                                 only in network
 * amqp-client                           only in amqp
 * kafka-clients' record.internal         only in protocol (but BaseRecords, the type of generated records fields)
 * any kafka-clients class                never in storage, replication, metadata
 * kafka-clients beyond its public API    never in cli
 * </pre>
 */
class DependencyRulesTest {

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.wharf");
    }

    /** The rules below check something only if the main classes of every module were imported. */
    @Test
    void theMainClassesOfEveryModuleAreChecked() {
        for (String name : List.of(
                "io.wharf.common.Clock",
                "io.wharf.protocol.wire.RequestCodec",
                "io.wharf.storage.PartitionLog",
                "io.wharf.network.NetworkServer",
                "io.wharf.metadata.raft.RaftMetadataLog",
                "io.wharf.replication.PartitionReplica",
                "io.wharf.coordinator.runtime.CoordinatorRuntime",
                "io.wharf.amqp.AmqpBroker",
                "io.wharf.server.Broker",
                "io.wharf.embedded.EmbeddedCluster",
                "io.wharf.cli.Wharf")) {
            assertThat(classes.contain(name)).as(name).isTrue();
        }
        assertThat(classes.contain("io.wharf.tests.architecture.DependencyRulesTest"))
                .isFalse();
    }

    @Test
    void ratisIsUsedByTheMetadataModuleOnly() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.wharf.metadata..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.ratis..")
                .check(classes);
    }

    @Test
    void nettyIsUsedByTheNetworkModuleOnly() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.wharf.network..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.netty..")
                .check(classes);
    }

    @Test
    void amqpClientIsUsedByTheAmqpModuleOnly() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.wharf.amqp..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.rabbitmq..")
                .check(classes);
    }

    /** The AMQP front end uses no Kafka class: it meets the Kafka side on the logs, not in the codec. */
    @Test
    void theAmqpModuleUsesNoKafkaClassAndNoServerClass() {
        noClasses()
                .that()
                .resideInAPackage("io.wharf.amqp..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "io.wharf.server..", "io.wharf.metadata..")
                .check(classes);
    }

    /** The records fields of generated messages are typed BaseRecords, so a handler may name that type alone. */
    @Test
    void kafkaRecordInternalsAreUsedByTheProtocolModuleOnly() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.wharf.protocol..")
                .should()
                .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("org.apache.kafka.common.record.internal..")
                        // The declared type of the records fields of the generated messages, which handlers build.
                        .and(DescribedPredicate.not(JavaClass.Predicates.simpleName("BaseRecords"))))
                .check(classes);
    }

    @Test
    void storageReplicationAndMetadataUseNoKafkaClass() {
        noClasses()
                .that()
                .resideInAnyPackage("io.wharf.storage..", "io.wharf.replication..", "io.wharf.metadata..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.kafka..")
                .check(classes);
    }

    @Test
    void theToolsUseOnlyTheKafkaClientsPublicApi() {
        noClasses()
                .that()
                .resideInAPackage("io.wharf.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.kafka.common.message..",
                        "org.apache.kafka.common.requests..",
                        "org.apache.kafka.common.protocol..",
                        "org.apache.kafka.common.record.internal..",
                        "org.apache.kafka.clients.consumer.internals..",
                        "org.apache.kafka.clients.producer.internals..",
                        "org.apache.kafka.clients.admin.internals..",
                        "io.wharf.server..",
                        "io.wharf.storage..",
                        "io.wharf.metadata..")
                .check(classes);
    }

    @Test
    void lowerModulesDoNotReachUp() {
        noClasses()
                .that()
                .resideInAnyPackage("io.wharf.common..", "io.wharf.protocol..", "io.wharf.storage..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.wharf.network..",
                        "io.wharf.metadata..",
                        "io.wharf.replication..",
                        "io.wharf.coordinator..",
                        "io.wharf.server..")
                .check(classes);
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.wharf.network..", "io.wharf.metadata..", "io.wharf.replication..", "io.wharf.coordinator..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.wharf.server..", "io.wharf.embedded..", "io.wharf.cli..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.wharf.replication..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.wharf.metadata..", "io.wharf.network..", "io.wharf.coordinator..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.wharf.metadata..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.wharf.storage..", "io.wharf.replication..", "io.wharf.network..", "io.wharf.coordinator..")
                .check(classes);
    }
}
