package io.wharf.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.config.ConfigKey;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code server.properties} and {@code docs/configuration.md} are exactly what {@link ConfigDocs}
 * renders from the definitions, so they cannot drift from the code. With {@code -Dwharf.regenerate=true} the test
 * rewrites them first (see {@link ConfigDocs#REGENERATE}).
 */
class ConfigDocsTest {

    private static final Path ROOT = Path.of(System.getProperty("wharf.repository.root", ".."));

    @BeforeAll
    static void regenerateWhenAsked() throws IOException {
        if (Boolean.getBoolean("wharf.regenerate")) {
            ConfigDocs.write(ROOT);
        }
    }

    @Test
    void serverPropertiesIsUpToDate() throws IOException {
        assertThat(Files.readString(ROOT.resolve(ConfigDocs.SERVER_PROPERTIES), StandardCharsets.UTF_8))
                .as("%s is stale; regenerate it with: %s", ConfigDocs.SERVER_PROPERTIES, ConfigDocs.REGENERATE)
                .isEqualTo(ConfigDocs.serverProperties());
    }

    @Test
    void configurationReferenceIsUpToDate() throws IOException {
        assertThat(Files.readString(ROOT.resolve(ConfigDocs.CONFIGURATION_MD), StandardCharsets.UTF_8))
                .as("%s is stale; regenerate it with: %s", ConfigDocs.CONFIGURATION_MD, ConfigDocs.REGENERATE)
                .isEqualTo(ConfigDocs.configurationMarkdown());
    }

    @Test
    void serverPropertiesListsEveryBrokerKeyAndSetsNone() throws IOException {
        String text = ConfigDocs.serverProperties();
        List<String> commentedKeys = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.matches("#[a-z][a-z0-9.]*=.*")) {
                commentedKeys.add(line.substring(1, line.indexOf('=')));
            }
        }
        List<String> expected = new ArrayList<>();
        BrokerConfig.DEFINITIONS.forEach(k -> expected.add(k.name()));
        assertThat(commentedKeys).containsExactlyElementsOf(expected);

        Properties loaded = new Properties();
        loaded.load(new StringReader(text));
        assertThat(loaded).as("every line is commented out").isEmpty();
        assertThat(BrokerConfig.parse(Map.of()).explicit()).isEmpty();
    }

    @Test
    void uncommentingADefaultLeavesTheBrokerAsItWas() throws IOException {
        Properties uncommented = new Properties();
        for (String line : ConfigDocs.serverProperties().lines().toList()) {
            if (line.matches("#[a-z][a-z0-9.]*=.+")) {
                uncommented.load(new StringReader(line.substring(1)));
            }
        }
        Map<String, String> settings = new java.util.HashMap<>();
        uncommented.stringPropertyNames().forEach(k -> settings.put(k, uncommented.getProperty(k)));
        BrokerConfig config = BrokerConfig.parse(settings);
        for (ConfigKey<?> key : BrokerConfig.DEFINITIONS) {
            if (settings.containsKey(key.name())) {
                assertThat((Object) config.get(key)).as(key.name()).isEqualTo(key.defaultValue());
            }
        }
        assertThat(settings).containsEntry("node.id", "1").doesNotContainKey("num.network.threads");
    }

    @Test
    void theReferenceHasARowForEveryKey() {
        String markdown = ConfigDocs.configurationMarkdown();
        BrokerConfig.DEFINITIONS.forEach(k -> assertThat(markdown).contains("| `" + k.name() + "` |"));
        TopicConfigs.DEFINITIONS.forEach(k -> assertThat(markdown).contains("| `" + k.name() + "` |"));
        assertThat(markdown).contains("| `num.network.threads` | int | the number of processors |");
    }
}
