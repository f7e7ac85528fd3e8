package io.wharf.metadata;

import io.wharf.metadata.raft.QuorumConfig;
import io.wharf.metadata.raft.RaftMetadataLog;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

/** The contract over a Ratis group of one controller. */
class RaftMetadataLogTest extends MetadataLogContract {

    private int port = -1;

    @Override
    protected MetadataLog open(Path dir) throws IOException {
        if (port < 0) {
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
        }
        return RaftMetadataLog.open(new QuorumConfig(
                List.of(new QuorumConfig.Voter(1, "127.0.0.1", port)), 1, dir, 200, 10_000, 16 << 20, 1 << 20));
    }

    @Override
    protected void snapshot(MetadataLog log) throws IOException {
        ((RaftMetadataLog) log).snapshotNow();
    }
}
