package io.wharf.common.config;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One configuration setting: name, type, default, documentation and a check of valid values. Keys are immutable
 * and are declared once, as constants, next to the code that reads them.
 *
 * @param <T> the Java type of the value
 */
public final class ConfigKey<T> {

    private final String name;
    private final ConfigType type;
    private final T defaultValue;
    private final String doc;
    private final Predicate<T> validator;
    private final String validValues;
    private final String defaultDoc;

    private ConfigKey(
            String name,
            ConfigType type,
            T defaultValue,
            String doc,
            Predicate<T> validator,
            String validValues,
            String defaultDoc) {
        this.name = Objects.requireNonNull(name);
        this.type = type;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.validator = validator;
        this.validValues = validValues;
        this.defaultDoc = defaultDoc;
        if (defaultValue != null && !validator.test(defaultValue)) {
            throw new IllegalArgumentException("default of " + name + " is not valid: " + defaultValue);
        }
    }

    public static Builder<Boolean> bool(String name, boolean defaultValue) {
        return new Builder<>(name, ConfigType.BOOLEAN, defaultValue);
    }

    public static Builder<Integer> integer(String name, int defaultValue) {
        return new Builder<>(name, ConfigType.INT, defaultValue);
    }

    public static Builder<Long> longKey(String name, long defaultValue) {
        return new Builder<>(name, ConfigType.LONG, defaultValue);
    }

    public static Builder<Double> doubleKey(String name, double defaultValue) {
        return new Builder<>(name, ConfigType.DOUBLE, defaultValue);
    }

    /** A string key; {@code defaultValue} may be null for "not set". */
    public static Builder<String> string(String name, String defaultValue) {
        return new Builder<>(name, ConfigType.STRING, defaultValue);
    }

    /** A long key with no default: unset unless configured (for settings that fall back to another key). */
    public static Builder<Long> optionalLong(String name) {
        return new Builder<>(name, ConfigType.LONG, null);
    }

    /** An int key with no default: unset unless configured. */
    public static Builder<Integer> optionalInt(String name) {
        return new Builder<>(name, ConfigType.INT, null);
    }

    public static Builder<List<String>> list(String name, List<String> defaultValue) {
        return new Builder<>(name, ConfigType.LIST, defaultValue);
    }

    public String name() {
        return name;
    }

    public ConfigType type() {
        return type;
    }

    /** The default value; null when the key has none. */
    public T defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /**
     * The default as the documentation states it: the value's text form, or a description when the default depends
     * on the machine (such as "the number of processors"); null when the key has no default.
     */
    public String documentedDefault() {
        return defaultDoc != null ? defaultDoc : format(defaultValue);
    }

    /** A human description of the valid values, such as {@code [1,...]}; empty when any value of the type is. */
    public String validValues() {
        return validValues;
    }

    /**
     * Parses and checks a value given as text (from a properties file or a client's request).
     *
     * @throws ConfigException when the text does not parse or the value is not valid
     */
    @SuppressWarnings("unchecked")
    public T parse(String text) {
        if (text == null) {
            throw new ConfigException(name, "Invalid value null for configuration " + name);
        }
        T value;
        try {
            value = (T) type.parse(text);
        } catch (RuntimeException e) {
            throw new ConfigException(
                    name,
                    "Invalid value " + text + " for configuration " + name + ": expected a "
                            + type.name().toLowerCase(java.util.Locale.ROOT) + " value");
        }
        return validate(value);
    }

    /** Checks a typed value against this key's valid range. */
    public T validate(T value) {
        if (!validator.test(value)) {
            throw new ConfigException(
                    name,
                    "Invalid value " + format(value) + " for configuration " + name
                            + (validValues.isEmpty() ? "" : ": value must be " + validValues));
        }
        return value;
    }

    /** The text form of a value, as DescribeConfigs shows it; null stays null. */
    public String format(T value) {
        return value == null ? null : type.format(value);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Builds a key; the validators describe themselves so that error messages and docs can say what is allowed. */
    public static final class Builder<T> {
        private final String name;
        private final ConfigType type;
        private final T defaultValue;
        private String doc = "";
        private Predicate<T> validator = v -> true;
        private String validValues = "";
        private String defaultDoc;

        private Builder(String name, ConfigType type, T defaultValue) {
            this.name = name;
            this.type = type;
            this.defaultValue = defaultValue;
        }

        public Builder<T> doc(String text) {
            this.doc = text;
            return this;
        }

        /**
         * How the docs describe a default computed on the running machine, so generated documentation is the same
         * wherever it is generated.
         */
        public Builder<T> defaultDescribedAs(String description) {
            this.defaultDoc = description;
            return this;
        }

        /** Values must be at least {@code min}. */
        public Builder<T> atLeast(long min) {
            this.validator = v -> v == null || ((Number) v).longValue() >= min;
            this.validValues = "[" + min + ",...]";
            return this;
        }

        /** Values must lie in {@code [min, max]}. */
        public Builder<T> between(long min, long max) {
            this.validator = v -> v == null || (((Number) v).longValue() >= min && ((Number) v).longValue() <= max);
            this.validValues = "[" + min + ",...," + max + "]";
            return this;
        }

        /** Values must be one of {@code allowed} (strings, compared exactly). */
        public Builder<T> oneOf(String... allowed) {
            Set<String> set = Set.of(allowed);
            this.validator = v -> v == null || (v instanceof List<?> list ? set.containsAll(list) : set.contains(v));
            this.validValues = String.join(", ", allowed);
            return this;
        }

        /** A custom check, described for the docs and error messages. */
        public Builder<T> check(Predicate<T> predicate, String description) {
            this.validator = predicate;
            this.validValues = description;
            return this;
        }

        public ConfigKey<T> build() {
            return new ConfigKey<>(name, type, defaultValue, doc, validator, validValues, defaultDoc);
        }
    }
}
