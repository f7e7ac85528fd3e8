package io.wharf.common.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Reads a value a build wrote into a properties resource, such as the version of the jar it is in. */
public final class BuildProperties {

    private BuildProperties() {}

    /**
     * The value of {@code key} in the properties resource {@code resource}, looked up next to {@code anchor} (or from
     * the class path root when it starts with '/'); {@code unknown} when the resource or key is missing.
     */
    public static String read(Class<?> anchor, String resource, String key) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty(key, "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
