package io.wharf.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version of this build, for {@code wharf --version} and {@code wharf cluster}. Stateless; any thread. */
public final class CliVersion implements IVersionProvider {

    private static final String VERSION = load();

    /** The version, such as {@code 0.1.0}; {@code unknown} when the build did not record it. */
    public static String current() {
        return VERSION;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Wharf " + VERSION};
    }

    private static String load() {
        try (InputStream in = CliVersion.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
