package io.wharf.metadata.controller;

/** Which election ElectLeaders asks for, with Kafka's codes. */
public enum LeaderElection {
    /** The first replica, if it is in sync and active. */
    PREFERRED(0),
    /** Any active replica, in sync or not, for a partition that has no leader: it may lose committed records. */
    UNCLEAN(1);

    private final int code;

    LeaderElection(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @throws IllegalArgumentException for a code no election has */
    public static LeaderElection ofCode(int code) {
        for (LeaderElection election : values()) {
            if (election.code == code) {
                return election;
            }
        }
        throw new IllegalArgumentException("unknown election type " + code);
    }
}
