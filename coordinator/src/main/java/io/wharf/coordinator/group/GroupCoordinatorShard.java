package io.wharf.coordinator.group;

import io.wharf.common.Clock;
import io.wharf.coordinator.group.assignor.Assignor;
import io.wharf.coordinator.runtime.CoordinatorRecord;
import io.wharf.coordinator.runtime.CoordinatorRuntime;
import io.wharf.coordinator.runtime.CoordinatorShard;
import java.util.List;
import java.util.Map;

/**
 * The groups and offsets of one {@code __consumer_offsets} partition: one unit that the runtime loads, serves and
 * unloads as a whole. It puts together
 *
 * <ul>
 *   <li>{@link GroupState}, the durable state, changed only by {@link #replay(CoordinatorRecord)};
 *   <li>{@link LiveGroups}, the classic rebalances under way (soft) over that state;
 *   <li>one operation class per protocol ({@link ClassicGroupOps}, {@link ConsumerGroupOps}, {@link ShareGroupOps},
 *       {@link OffsetOps}, {@link GroupAdminOps}), each given only the state and services it uses. They read the
 *       durable state, compute records and responses, and keep their own soft state; none of them changes the
 *       durable state or reaches another through the shard.
 * </ul>
 *
 * <p>Every method runs on the shard's thread.
 */
public final class GroupCoordinatorShard implements CoordinatorShard {

    private final GroupState state;
    private final ClassicGroupOps classic;
    private final ConsumerGroupOps consumer;
    private final ShareGroupOps share;
    private final OffsetOps offsets;
    private final TxnOffsetOps txnOffsets;
    private final GroupAdminOps admin;

    GroupCoordinatorShard(
            CoordinatorRuntime.ShardContext<GroupCoordinatorShard> context,
            GroupConfig config,
            Clock clock,
            TopicsView topics,
            Map<String, Assignor> assignors,
            ShareGroupSettings shareSettings,
            ShareGroupIndex shareIndex) {
        GroupTimers timers = new GroupTimers(context);
        this.state = new GroupState(shareIndex);
        LiveGroups live = new LiveGroups(state);
        this.classic = new ClassicGroupOps(live, state, config, clock, timers);
        this.consumer = new ConsumerGroupOps(state, live, config, topics, assignors, timers);
        this.share = new ShareGroupOps(state, live, topics, shareSettings, shareIndex, timers);
        this.offsets = new OffsetOps(state, live, config, clock, timers);
        this.txnOffsets = new TxnOffsetOps(state, live, config, clock);
        this.admin = new GroupAdminOps(state, live, config, topics);
    }

    GroupState state() {
        return state;
    }

    ClassicGroupOps classic() {
        return classic;
    }

    ConsumerGroupOps consumer() {
        return consumer;
    }

    ShareGroupOps share() {
        return share;
    }

    TxnOffsetOps txnOffsets() {
        return txnOffsets;
    }

    OffsetOps offsets() {
        return offsets;
    }

    GroupAdminOps admin() {
        return admin;
    }

    @Override
    public void replay(CoordinatorRecord record) {
        GroupRecords.Key key = GroupRecords.key(record.key());
        state.replay(key, record.value());
        if (record.isTombstone()) {
            // Soft state ends with the group it belongs to.
            switch (key.type()) {
                case GroupRecords.CLASSIC_GROUP -> classic.forget(key.groupId());
                case GroupRecords.CONSUMER_GROUP -> consumer.forget(key.groupId());
                default -> {}
            }
        }
    }

    @Override
    public List<CoordinatorRecord> snapshot() {
        return state.snapshot();
    }

    @Override
    public void onLoaded() {
        state.classicGroups().forEach(classic::startSessions);
        state.consumerGroups().forEach(consumer::startSessions);
        state.shareGroups().forEach(share::startSessions);
        offsets.scheduleExpiration();
    }

    /** The runtime answers requests waiting in a rebalance NOT_COORDINATOR; the share groups leave the index. */
    @Override
    public void onUnloaded() {
        state.unpublish();
    }
}
