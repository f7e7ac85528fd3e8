package io.wharf.cli;

import io.wharf.common.io.BuildProperties;
import picocli.CommandLine.IVersionProvider;

/** The version of this build, for {@code wharf --version} and {@code wharf cluster}. Stateless; any thread. */
public final class CliVersion implements IVersionProvider {

    private static final String VERSION = BuildProperties.read(CliVersion.class, "version.properties", "version");

    /** The version, such as {@code 0.1.0}; {@code unknown} when the build did not record it. */
    public static String current() {
        return VERSION;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Wharf " + VERSION};
    }
}
