package io.wharf.server.config;

import io.wharf.common.config.ConfigKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Generates the two files that document the configuration keys, so they are never kept by hand:
 * {@code dist/src/main/config/server.properties} ({@link ServerPropertiesFile}) and {@code docs/configuration.md}
 * ({@link ConfigurationReference}). {@code ConfigDocsTest} fails when either committed file differs from what this
 * class renders, and regenerates them when run with {@code -Dwharf.regenerate=true} (the {@link #REGENERATE}
 * command). Stateless.
 */
public final class ConfigDocs {

    /** The distribution's settings file, relative to the repository root. */
    public static final String SERVER_PROPERTIES = "dist/src/main/config/server.properties";
    /** The configuration reference, relative to the repository root. */
    public static final String CONFIGURATION_MD = "docs/configuration.md";
    /** The command that rewrites both files from the definitions. */
    public static final String REGENERATE = "./mvnw -q test -pl server -am -Dtest=ConfigDocsTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dwharf.regenerate=true";

    private ConfigDocs() {}

    /** Writes both files under the repository root given as the only argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ConfigDocs REPOSITORY_ROOT");
            System.exit(1);
        }
        write(Path.of(args[0]));
    }

    /** Writes both files under {@code root}. */
    public static void write(Path root) throws IOException {
        for (Path file : new Path[] {root.resolve(SERVER_PROPERTIES), root.resolve(CONFIGURATION_MD)}) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(root.resolve(SERVER_PROPERTIES), serverProperties(), StandardCharsets.UTF_8);
        Files.writeString(root.resolve(CONFIGURATION_MD), configurationMarkdown(), StandardCharsets.UTF_8);
    }

    public static String serverProperties() {
        return ServerPropertiesFile.render();
    }

    public static String configurationMarkdown() {
        return ConfigurationReference.render();
    }

    /** The type's name as the docs print it: {@code int}, {@code long}, {@code list}, ... */
    static String typeName(ConfigKey<?> key) {
        return key.type().name().toLowerCase(Locale.ROOT);
    }

    /** The default's plain text form, to tell a described default from a literal one. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static String formattedDefault(ConfigKey<?> key) {
        return ((ConfigKey) key).format(key.defaultValue());
    }
}
