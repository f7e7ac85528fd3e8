package io.wharf.server;

import io.wharf.common.io.BuildProperties;

/** The version of this build of Wharf. */
public final class Version {

    private static final String VERSION = BuildProperties.read(Version.class, "/wharf-version.properties", "version");

    private Version() {}

    public static String current() {
        return VERSION;
    }
}
