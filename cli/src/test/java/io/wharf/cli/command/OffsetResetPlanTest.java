package io.wharf.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.cli.CliException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetResetPlanTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final Map<TopicPartition, Long> EARLIEST = Map.of(P0, 10L, P1, 0L);
    private static final Map<TopicPartition, Long> LATEST = Map.of(P0, 100L, P1, 5L);
    private static final Map<TopicPartition, Long> COMMITTED = Map.of(P0, 50L);

    private static List<Long> targets(OffsetResetPlan.Kind kind, long value, Map<TopicPartition, Long> atTime) {
        return OffsetResetPlan.compute(
                        new OffsetResetPlan.Strategy(kind, value),
                        List.of(P0, P1),
                        kind == OffsetResetPlan.Kind.SHIFT ? Map.of(P0, 50L, P1, 2L) : COMMITTED,
                        EARLIEST,
                        LATEST,
                        atTime)
                .rows()
                .stream()
                .map(OffsetResetPlan.Row::target)
                .toList();
    }

    @Test
    void movesToEitherEnd() {
        assertThat(targets(OffsetResetPlan.Kind.EARLIEST, 0, Map.of())).containsExactly(10L, 0L);
        assertThat(targets(OffsetResetPlan.Kind.LATEST, 0, Map.of())).containsExactly(100L, 5L);
    }

    @Test
    void keepsAnOffsetWithinTheRecordsThePartitionHas() {
        assertThat(targets(OffsetResetPlan.Kind.OFFSET, 3, Map.of())).containsExactly(10L, 3L);
        assertThat(targets(OffsetResetPlan.Kind.OFFSET, 70, Map.of())).containsExactly(70L, 5L);
    }

    @Test
    void shiftsFromTheCommittedOffsetWithinBounds() {
        assertThat(targets(OffsetResetPlan.Kind.SHIFT, -45, Map.of())).containsExactly(10L, 0L);
        assertThat(targets(OffsetResetPlan.Kind.SHIFT, 2, Map.of())).containsExactly(52L, 4L);
    }

    @Test
    void aTimeWithoutRecordsThatNewMovesToTheEnd() {
        assertThat(targets(OffsetResetPlan.Kind.TIME, 1_000, Map.of(P0, 42L, P1, -1L)))
                .containsExactly(42L, 5L);
    }

    @Test
    void keepsTheCurrentOffsetsForTheDryRun() {
        OffsetResetPlan plan = OffsetResetPlan.compute(
                new OffsetResetPlan.Strategy(OffsetResetPlan.Kind.LATEST, 0),
                List.of(P0, P1),
                COMMITTED,
                EARLIEST,
                LATEST,
                Map.of());
        assertThat(plan.rows())
                .containsExactly(new OffsetResetPlan.Row(P0, 50L, 100L), new OffsetResetPlan.Row(P1, null, 5L));
    }

    @Test
    void cannotShiftAPartitionWithoutACommittedOffset() {
        assertThatThrownBy(() -> OffsetResetPlan.compute(
                        new OffsetResetPlan.Strategy(OffsetResetPlan.Kind.SHIFT, 1),
                        List.of(P0, P1),
                        COMMITTED,
                        EARLIEST,
                        LATEST,
                        Map.of()))
                .isInstanceOf(CliException.class)
                .hasMessageStartingWith("cannot shift t-1: the group has no committed offset there");
    }
}
