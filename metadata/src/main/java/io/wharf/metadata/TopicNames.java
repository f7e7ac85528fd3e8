package io.wharf.metadata;

/** Kafka's rules for topic names: 1 to 249 characters of ASCII letters, digits, '.', '_' and '-', not "." or "..". */
public final class TopicNames {

    public static final int MAX_LENGTH = 249;

    private TopicNames() {}

    /** Why {@code name} is not a legal topic name, or null when it is. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "Topic name is illegal, it can't be empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "Topic name cannot be \".\" or \"..\"";
        }
        if (name.length() > MAX_LENGTH) {
            return "Topic name is illegal, it can't be longer than " + MAX_LENGTH + " characters, topic name: " + name;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!legal) {
                return "Topic name \"" + name
                        + "\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'";
            }
        }
        return null;
    }

    /** The form two names collide in: '.' and '_' are the same in metric names, so Kafka refuses such pairs. */
    public static String collisionKey(String name) {
        return name.replace('.', '_');
    }
}
