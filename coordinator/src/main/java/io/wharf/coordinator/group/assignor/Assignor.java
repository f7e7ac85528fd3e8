package io.wharf.coordinator.group.assignor;

import io.wharf.common.TopicId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Computes a target assignment. Implementations are deterministic and stateless. */
public interface Assignor {

    /** The name clients ask for in {@code group.remote.assignor}. */
    String name();

    /**
     * One member as the assignor sees it.
     *
     * @param subscribedTopics the ids of the topics it subscribes to (only existing topics)
     * @param previous what it was assigned last time, for stickiness
     */
    record Member(String memberId, Set<TopicId> subscribedTopics, Map<TopicId, List<Integer>> previous) {}

    /**
     * @param members every member, in a stable order
     * @param partitionCounts the partition count of every subscribed topic
     * @return each member's assignment; every partition of a subscribed topic goes to exactly one subscriber
     */
    Map<String, Map<TopicId, List<Integer>>> assign(List<Member> members, Map<TopicId, Integer> partitionCounts);
}
