package io.wharf.metadata.raft;

import io.wharf.common.Clock;
import io.wharf.metadata.MetadataLog;
import io.wharf.metadata.controller.ConfigRules;
import io.wharf.metadata.controller.ControllerService;
import io.wharf.metadata.controller.ControllerSettings;
import io.wharf.metadata.controller.QuorumController;
import io.wharf.metadata.controller.RemoteController;
import io.wharf.metadata.image.MetadataImage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** N controllers of one Ratis quorum in this JVM, each with its log, controller and the client other nodes use. */
final class RaftQuorumFixture implements AutoCloseable {

    /** One controller node. */
    final class Node {
        final int id;
        RaftMetadataLog log;
        QuorumController controller;
        QuorumClient client;
        RemoteController remote;
        final List<MetadataImage> images = new CopyOnWriteArrayList<>();

        Node(int id) {
            this.id = id;
        }

        void start() throws IOException {
            log = RaftMetadataLog.open(config(id));
            controller = new QuorumController(
                    log,
                    ControllerSettings.defaults(),
                    ConfigRules.ANY,
                    Clock.system(),
                    () -> "cluster-of-" + voters.size());
            log.setQueryHandler(new ControllerService(controller, log).asHandler());
            client = new QuorumClient(config(id));
            remote = new RemoteController(client::ask, 20_000);
            log.start(new MetadataLog.Listener() {
                @Override
                public void onImage(MetadataImage previous, MetadataImage current) {
                    images.add(current);
                }

                @Override
                public void onLeader(MetadataLog.LeaderAndEpoch leader) {
                    controller.onLeader(leader);
                }
            });
        }

        void stop() throws IOException {
            if (log == null) {
                return;
            }
            remote.close();
            client.close();
            controller.close();
            log.close();
            log = null;
        }

        boolean isActive() {
            return log != null && controller.isActive();
        }
    }

    final Path dir;
    final List<QuorumConfig.Voter> voters = new ArrayList<>();
    final List<Node> nodes = new ArrayList<>();
    long snapshotBytes = 16 << 20;
    long segmentBytes = 1 << 20;

    RaftQuorumFixture(Path dir, int size) throws IOException {
        this.dir = dir;
        for (int i = 1; i <= size; i++) {
            voters.add(new QuorumConfig.Voter(i, "127.0.0.1", freePort()));
            nodes.add(new Node(i));
        }
    }

    QuorumConfig config(int id) {
        return new QuorumConfig(voters, id, dir.resolve("node-" + id), 300, 20_000, snapshotBytes, segmentBytes);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    Node node(int id) {
        return nodes.get(id - 1);
    }

    void startAll() throws IOException {
        for (Node node : nodes) {
            node.start();
        }
    }

    Node active() {
        return nodes.stream().filter(Node::isActive).findFirst().orElse(null);
    }

    @Override
    public void close() throws IOException {
        for (Node node : nodes) {
            node.stop();
        }
    }
}
