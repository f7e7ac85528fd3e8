package io.wharf.server.config;

import io.wharf.common.config.ConfigKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the distribution's {@code config/server.properties}: every broker key with its documentation, type, valid
 * values and default, each line commented out, so the file documents the defaults and changes nothing until a line
 * is uncommented. Generated from {@link BrokerConfig#OWN_KEYS} and {@link TopicConfigs#BROKER_KEYS}; stateless.
 */
final class ServerPropertiesFile {

    private static final int WIDTH = 110;

    private ServerPropertiesFile() {}

    static String render() {
        StringBuilder out = new StringBuilder();
        comment(
                out,
                "Wharf broker settings. Every key the broker reads is below with its default and what it does. Each"
                        + " setting line is commented out, so this file, as it is, leaves every default in place;"
                        + " uncomment a line and change its value to change a setting. Keys named as in Kafka's"
                        + " server.properties mean the same here.");
        comment(out, "Use it with: bin/wharf server --config config/server.properties [--override KEY=VALUE ...]");
        comment(
                out,
                "This file is generated from the broker's configuration definitions (" + ConfigDocs.REGENERATE
                        + "); edit those rather than this file.");
        section(out, "Broker", BrokerConfig.OWN_KEYS);
        section(out, "Cluster (a node with controller.quorum.voters)", ClusterConfigs.KEYS);
        section(out, "AMQP 0-9-1 (the listener named AMQP)", AmqpConfigs.KEYS);
        section(out, "Defaults of topic settings (a topic's own setting, if any, wins)", TopicConfigs.BROKER_KEYS);
        return out.toString();
    }

    private static void section(StringBuilder out, String title, List<ConfigKey<?>> keys) {
        out.append("\n############################## ").append(title).append('\n');
        for (ConfigKey<?> key : keys) {
            out.append('\n');
            comment(out, key.doc());
            StringBuilder facts =
                    new StringBuilder("Type: ").append(ConfigDocs.typeName(key)).append('.');
            if (!key.validValues().isEmpty()) {
                facts.append(" Valid values: ").append(key.validValues()).append('.');
            }
            String value = key.documentedDefault();
            boolean described = value != null && !value.equals(ConfigDocs.formattedDefault(key));
            if (value == null) {
                facts.append(" Default: not set.");
            } else if (described) {
                facts.append(" Default: ").append(value).append('.');
            }
            comment(out, facts.toString());
            out.append('#').append(key.name()).append('=');
            if (value != null && !described) {
                out.append(value);
            }
            out.append('\n');
        }
    }

    /** Appends {@code text} as {@code # } lines no wider than {@link #WIDTH}. */
    private static void comment(StringBuilder out, String text) {
        for (String line : wrap(text, WIDTH - 2)) {
            out.append("# ").append(line).append('\n');
        }
    }

    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
