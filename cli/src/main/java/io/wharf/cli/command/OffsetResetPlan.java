package io.wharf.cli.command;

import io.wharf.cli.CliException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Where {@code wharf group reset-offsets} moves each partition's committed offset, computed before anything is
 * changed, so a dry run shows exactly what {@code --execute} would do. Every target lies within the records the
 * partition has, {@code [earliest, latest]}. Immutable.
 *
 * @param rows one per partition, in the order the partitions were given
 */
record OffsetResetPlan(List<Row> rows) {

    /** A partition's committed offset (null: none) and the offset it will get. */
    record Row(TopicPartition partition, Long current, long target) {}

    /** How to choose the target. */
    enum Kind {
        EARLIEST,
        LATEST,
        OFFSET,
        TIME,
        SHIFT
    }

    /** A kind and its argument: the offset, the time in epoch milliseconds, or the shift. */
    record Strategy(Kind kind, long value) {}

    /**
     * Computes the plan.
     *
     * @param atTime for {@link Kind#TIME}, the broker's offset for the time per partition (-1: no record that new)
     * @throws CliException for {@link Kind#SHIFT} when a partition has no committed offset to shift
     */
    static OffsetResetPlan compute(
            Strategy strategy,
            Collection<TopicPartition> partitions,
            Map<TopicPartition, Long> committed,
            Map<TopicPartition, Long> earliest,
            Map<TopicPartition, Long> latest,
            Map<TopicPartition, Long> atTime) {
        List<Row> rows = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Long current = committed.get(tp);
            long first = earliest.get(tp);
            long end = latest.get(tp);
            long target = switch (strategy.kind()) {
                case EARLIEST -> first;
                case LATEST -> end;
                case OFFSET -> strategy.value();
                case TIME -> atTime.getOrDefault(tp, -1L) < 0 ? end : atTime.get(tp);
                case SHIFT -> {
                    if (current == null) {
                        throw CliException.usage("cannot shift " + tp + ": the group has no committed offset"
                                + " there; use --to-earliest, --to-latest or --to-offset");
                    }
                    yield current + strategy.value();
                }
            };
            rows.add(new Row(tp, current, Math.max(first, Math.min(end, target))));
        }
        return new OffsetResetPlan(List.copyOf(rows));
    }
}
