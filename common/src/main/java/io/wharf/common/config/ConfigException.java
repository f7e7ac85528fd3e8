package io.wharf.common.config;

/** A configuration value that is unknown, does not parse or is out of its range; the message says which and why. */
public final class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The name of the offending key. */
    public String key() {
        return key;
    }
}
