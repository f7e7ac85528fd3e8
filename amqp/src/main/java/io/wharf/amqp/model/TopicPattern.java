package io.wharf.amqp.model;

/**
 * Matches a routing key against a topic binding key. Both are dot-separated words; in the binding key {@code *}
 * stands for exactly one word and {@code #} for zero or more. Matching is a walk over both word lists with
 * backtracking only at {@code #}, memoised so that patterns with many {@code #} stay linear in practice.
 */
public final class TopicPattern {

    private TopicPattern() {}

    public static boolean matches(String pattern, String routingKey) {
        String[] words = pattern.split("\\.", -1);
        String[] key = routingKey.split("\\.", -1);
        if (routingKey.isEmpty()) {
            key = new String[0];
        }
        if (pattern.isEmpty()) {
            words = new String[0];
        }
        Boolean[][] memo = new Boolean[words.length + 1][key.length + 1];
        return match(words, 0, key, 0, memo);
    }

    private static boolean match(String[] words, int w, String[] key, int k, Boolean[][] memo) {
        if (memo[w][k] != null) {
            return memo[w][k];
        }
        boolean result;
        if (w == words.length) {
            result = k == key.length;
        } else if (words[w].equals("#")) {
            result = match(words, w + 1, key, k, memo) || (k < key.length && match(words, w, key, k + 1, memo));
        } else if (k == key.length) {
            result = false;
        } else if (words[w].equals("*") || words[w].equals(key[k])) {
            result = match(words, w + 1, key, k + 1, memo);
        } else {
            result = false;
        }
        memo[w][k] = result;
        return result;
    }
}
