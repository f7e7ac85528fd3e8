package io.wharf.metadata.raft;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * How a node takes part in the metadata quorum.
 *
 * @param voters the controllers, from {@code controller.quorum.voters}
 * @param nodeId this node's id (a voter's, for a controller)
 * @param storageDir where a controller keeps its Raft log and snapshots
 * @param electionTimeoutMs a follower that hears nothing from its leader for between this and twice this starts an
 *     election ({@code controller.quorum.election.timeout.ms})
 * @param requestTimeoutMs how long a request to the quorum may take, retries included
 *     ({@code controller.quorum.request.timeout.ms})
 * @param snapshotBytes metadata applied since the last snapshot past which a new one is taken
 *     ({@code metadata.log.max.record.bytes.between.snapshots})
 * @param segmentBytes the size of a Raft log segment; whole segments behind a snapshot are purged
 */
public record QuorumConfig(
        List<Voter> voters,
        int nodeId,
        Path storageDir,
        long electionTimeoutMs,
        long requestTimeoutMs,
        long snapshotBytes,
        long segmentBytes) {

    /** One controller: {@code id@host:port} in {@code controller.quorum.voters}. */
    public record Voter(int nodeId, String host, int port) {

        /**
         * Parses {@code 1@host:9093,2@host:9095,...}.
         *
         * @throws IllegalArgumentException for an entry that is not {@code id@host:port}, or an id given twice
         */
        public static List<Voter> parseList(String text) {
            List<Voter> voters = new ArrayList<>();
            for (String item : text.split(",")) {
                String entry = item.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                int at = entry.indexOf('@');
                int colon = entry.lastIndexOf(':');
                if (at <= 0 || colon <= at + 1 || colon == entry.length() - 1) {
                    throw new IllegalArgumentException("expected id@host:port, got " + entry);
                }
                int id;
                int port;
                try {
                    id = Integer.parseInt(entry.substring(0, at));
                    port = Integer.parseInt(entry.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected id@host:port, got " + entry);
                }
                String host = entry.substring(at + 1, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                if (id < 0 || port <= 0 || port > 65535) {
                    throw new IllegalArgumentException("invalid voter " + entry);
                }
                int voterId = id;
                if (voters.stream().anyMatch(v -> v.nodeId() == voterId)) {
                    throw new IllegalArgumentException("voter " + id + " is given twice");
                }
                voters.add(new Voter(id, host, port));
            }
            if (voters.isEmpty()) {
                throw new IllegalArgumentException("no voters in '" + text + "'");
            }
            return voters;
        }

        String address() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public QuorumConfig {
        voters = voters.stream().sorted(Comparator.comparingInt(Voter::nodeId)).toList();
    }

    public boolean isVoter() {
        return voters.stream().anyMatch(v -> v.nodeId() == nodeId);
    }

    public Voter self() {
        return voters.stream()
                .filter(v -> v.nodeId() == nodeId)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("node " + nodeId + " is not a voter"));
    }

    /**
     * The Raft group's id, the same on every node configured with the same voters: the quorum is agreed without a
     * separate format step.
     */
    UUID groupId() {
        StringBuilder key = new StringBuilder("wharf-metadata");
        for (Voter voter : voters) {
            key.append(';').append(voter.nodeId()).append('@').append(voter.address());
        }
        return UUID.nameUUIDFromBytes(key.toString().getBytes(StandardCharsets.UTF_8));
    }
}
