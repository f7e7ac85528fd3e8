package io.wharf.common.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The value types a configuration key can have, with how each is parsed from and written to text. */
public enum ConfigType {
    BOOLEAN {
        @Override
        Object parse(String text) {
            String lower = text.trim().toLowerCase(Locale.ROOT);
            if (lower.equals("true") || lower.equals("false")) {
                return Boolean.valueOf(lower);
            }
            throw new IllegalArgumentException("expected true or false");
        }
    },
    INT {
        @Override
        Object parse(String text) {
            return Integer.valueOf(text.trim());
        }
    },
    LONG {
        @Override
        Object parse(String text) {
            return Long.valueOf(text.trim());
        }
    },
    DOUBLE {
        @Override
        Object parse(String text) {
            return Double.valueOf(text.trim());
        }
    },
    STRING {
        @Override
        Object parse(String text) {
            return text.trim();
        }
    },
    /** A comma-separated list of strings; blank items are dropped. */
    LIST {
        @Override
        Object parse(String text) {
            if (text.isBlank()) {
                return List.of();
            }
            return Arrays.stream(text.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }

        @Override
        String format(Object value) {
            return String.join(
                    ",", ((List<?>) value).stream().map(String::valueOf).toList());
        }
    };

    /** Parses text into this type's Java value; throws an unchecked exception when it does not parse. */
    abstract Object parse(String text);

    /** The text form of a value of this type, as DescribeConfigs and the docs show it. */
    String format(Object value) {
        return String.valueOf(value);
    }

    /** The Java class that values of this type have. */
    Class<?> javaType() {
        return switch (this) {
            case BOOLEAN -> Boolean.class;
            case INT -> Integer.class;
            case LONG -> Long.class;
            case DOUBLE -> Double.class;
            case STRING -> String.class;
            case LIST -> List.class;
        };
    }
}
