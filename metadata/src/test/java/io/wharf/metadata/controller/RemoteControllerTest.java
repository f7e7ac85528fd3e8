package io.wharf.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.common.io.Bytes;
import io.wharf.metadata.controller.Controller.Committed;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How a forwarded request gets through leaders that refuse it, and leaders that never answer. */
class RemoteControllerTest {

    private static byte[] heartbeatAnswer() {
        Bytes.Writer out = ControllerProtocol.answered(42);
        ControllerProtocol.heartbeatResult(out, new HeartbeatResult(false, false, null, ""));
        return out.toArray();
    }

    @Test
    void anAttemptAFrozenLeaderNeverAnswersIsAbandonedAndSentAgain() throws Exception {
        List<Integer> targets = new ArrayList<>();
        ControllerTransport transport = (request, node) -> {
            synchronized (targets) {
                targets.add(node);
                // The first leader is frozen (SIGSTOP): its connection stays open and it answers nothing, ever.
                return targets.size() == 1
                        ? new CompletableFuture<>()
                        : CompletableFuture.completedFuture(heartbeatAnswer());
            }
        };
        try (RemoteController controller = new RemoteController(transport, 3_000)) {
            Committed<HeartbeatResult> answer =
                    controller.heartbeat(new BrokerHeartbeat(1, 7, 0, false)).get(10, TimeUnit.SECONDS);
            assertThat(answer.offset()).isEqualTo(42);
            assertThat(answer.result().fenced()).isFalse();
        }
        assertThat(targets).hasSize(2);
    }

    @Test
    void aNotControllerAnswerIsFollowedToTheNamedLeader() throws Exception {
        List<Integer> targets = new ArrayList<>();
        ControllerTransport transport = (request, node) -> {
            synchronized (targets) {
                targets.add(node);
                return CompletableFuture.completedFuture(
                        node == 3 ? heartbeatAnswer() : ControllerProtocol.notController(3));
            }
        };
        try (RemoteController controller = new RemoteController(transport, 3_000)) {
            controller.heartbeat(new BrokerHeartbeat(1, 7, 0, false)).get(10, TimeUnit.SECONDS);
        }
        assertThat(targets).containsExactly(-1, 3);
    }
}
