package io.wharf.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicPartitionTest {

    @Test
    void parsesItsOwnDirectoryNameEvenWithDashesInTheTopic() {
        TopicPartition tp = new TopicPartition("my-topic-v2", 11);
        assertThat(TopicPartition.parse(tp.toString())).isEqualTo(tp);
    }

    @Test
    void refusesNamesWithoutAPartition() {
        assertThatThrownBy(() -> TopicPartition.parse("orders")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicPartition.parse("orders-")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicPartition.parse("orders-x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersByTopicThenPartition() {
        assertThat(new TopicPartition("a", 5)).isLessThan(new TopicPartition("b", 0));
        assertThat(new TopicPartition("a", 1)).isLessThan(new TopicPartition("a", 2));
    }

    @Test
    void manualClockMovesOnlyForward() {
        ManualClock clock = new ManualClock(1000);
        clock.advanceMs(250);
        assertThat(clock.nowMs()).isEqualTo(1250);
        assertThat(clock.nanoTime()).isEqualTo(250_000_000L);
        assertThatThrownBy(() -> clock.advanceMs(-1)).isInstanceOf(IllegalStateException.class);
    }
}
