package io.wharf.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {

    private static final ConfigKey<Integer> PARTITIONS =
            ConfigKey.integer("num.partitions", 1).atLeast(1).doc("partitions").build();
    private static final ConfigKey<String> POLICY =
            ConfigKey.string("policy", "a").oneOf("a", "b").build();
    private static final ConfigKey<List<String>> CLEANUP = ConfigKey.list("cleanup", List.of("delete"))
            .oneOf("delete", "compact")
            .build();
    private static final ConfigKey<Boolean> FLAG = ConfigKey.bool("flag", false).build();

    @Test
    void parsesAndChecksValues() {
        assertThat(PARTITIONS.parse(" 6 ")).isEqualTo(6);
        assertThat(FLAG.parse("TRUE")).isTrue();
        assertThat(CLEANUP.parse("compact, delete")).containsExactly("compact", "delete");
        assertThat(CLEANUP.format(List.of("compact", "delete"))).isEqualTo("compact,delete");
    }

    @Test
    void explainsWhatIsWrong() {
        assertThatThrownBy(() -> PARTITIONS.parse("0"))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("num.partitions"))
                .hasMessage("Invalid value 0 for configuration num.partitions: value must be [1,...]");
        assertThatThrownBy(() -> PARTITIONS.parse("six")).hasMessageContaining("expected a int value");
        assertThatThrownBy(() -> FLAG.parse("yes")).hasMessageContaining("expected a boolean value");
        assertThatThrownBy(() -> POLICY.parse("c")).hasMessageContaining("value must be a, b");
        assertThatThrownBy(() -> CLEANUP.parse("delete,shred")).isInstanceOf(ConfigException.class);
    }

    @Test
    void definitionsRefuseUnknownKeysAndKeepDefaults() {
        ConfigDefinitions definitions = ConfigDefinitions.of(List.of(PARTITIONS, POLICY));
        assertThatThrownBy(() -> definitions.parse(Map.of("num.partitons", "3")))
                .hasMessage("Unknown configuration num.partitons");

        ConfigValues values = ConfigValues.of(definitions.parse(Map.of("num.partitions", "3")));
        assertThat(values.get(PARTITIONS)).isEqualTo(3);
        assertThat(values.get(POLICY)).isEqualTo("a");
        assertThat(values.isSet(POLICY)).isFalse();
        assertThat(values.with(Map.of("policy", "b")).get(POLICY)).isEqualTo("b");
    }

    @Test
    void aKeyDeclaredTwiceIsAProgrammingError() {
        assertThatThrownBy(() -> ConfigDefinitions.of(List.of(PARTITIONS, PARTITIONS)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void documentsTheDefaultAsTextOrAsDescribed() {
        assertThat(PARTITIONS.documentedDefault()).isEqualTo("1");
        assertThat(CLEANUP.documentedDefault()).isEqualTo("delete");
        assertThat(ConfigKey.string("unset", null).build().documentedDefault()).isNull();
        assertThat(ConfigKey.integer("threads", 7)
                        .defaultDescribedAs("the number of processors")
                        .build()
                        .documentedDefault())
                .isEqualTo("the number of processors");
    }
}
