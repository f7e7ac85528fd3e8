package io.wharf.server.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The names of Apache Kafka's broker settings ({@code kafka-broker-keys.txt}, from Kafka 4.3), so that a Kafka
 * {@code server.properties} is accepted as it is: a key Kafka knows and Wharf does not read is ignored with a warning
 * instead of refused, while a key neither knows (a typo) is still an error. Loaded once; thread-safe.
 */
final class KafkaBrokerKeys {

    private static final Set<String> KEYS = load();

    private KafkaBrokerKeys() {}

    static boolean contains(String key) {
        return KEYS.contains(key);
    }

    private static Set<String> load() {
        Set<String> keys = new HashSet<>();
        try (InputStream in = KafkaBrokerKeys.class.getResourceAsStream("kafka-broker-keys.txt")) {
            if (in == null) {
                throw new IllegalStateException("kafka-broker-keys.txt is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                String key = line.trim();
                if (!key.isEmpty() && !key.startsWith("#")) {
                    keys.add(key);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(keys);
    }
}
