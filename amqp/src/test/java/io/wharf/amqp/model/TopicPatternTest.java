package io.wharf.amqp.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Topic matching against a plain model: a binding key turned into a regular expression over the words. */
class TopicPatternTest {

    @Test
    void examplesFromTheTutorial() {
        assertThat(TopicPattern.matches("*.orange.*", "quick.orange.rabbit")).isTrue();
        assertThat(TopicPattern.matches("*.*.rabbit", "lazy.orange.elephant")).isFalse();
        assertThat(TopicPattern.matches("lazy.#", "lazy")).isTrue();
        assertThat(TopicPattern.matches("lazy.#", "lazy.orange.male.rabbit")).isTrue();
        assertThat(TopicPattern.matches("#", "")).isTrue();
        assertThat(TopicPattern.matches("*", "")).isFalse();
        assertThat(TopicPattern.matches("*.orange.*", "quick.orange.male.rabbit"))
                .isFalse();
        assertThat(TopicPattern.matches("#.b.#", "a.b.c")).isTrue();
        assertThat(TopicPattern.matches("a.*.#", "a")).isFalse();
    }

    @Property(tries = 2000)
    void agreesWithARegularExpressionModel(@ForAll("patterns") List<String> pattern, @ForAll("keys") List<String> key) {
        String binding = String.join(".", pattern);
        String routingKey = String.join(".", key);
        assertThat(TopicPattern.matches(binding, routingKey)).isEqualTo(model(pattern, key));
    }

    /** The model: {@code *} is one word, {@code #} any number of words, others themselves. */
    private static boolean model(List<String> pattern, List<String> key) {
        StringBuilder regex = new StringBuilder();
        for (String word : pattern) {
            regex.append(
                    switch (word) {
                        case "*" -> "(w[a-c]*)";
                        case "#" -> "(w[a-c]*)*";
                        default -> "(w" + word + ")";
                    });
        }
        StringBuilder text = new StringBuilder();
        for (String word : key) {
            text.append('w').append(word);
        }
        return text.toString().matches(regex.toString());
    }

    @Provide
    Arbitrary<List<String>> patterns() {
        return Arbitraries.of("a", "b", "c", "ab", "*", "#").list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<String>> keys() {
        return Arbitraries.of("a", "b", "c", "ab").list().ofMinSize(1).ofMaxSize(6);
    }
}
