package io.wharf.server.share;

import io.wharf.coordinator.share.ShareConfigs;
import io.wharf.coordinator.share.ShareGroupConfig;
import io.wharf.server.config.BrokerConfig;
import io.wharf.server.config.GroupConfigs;
import io.wharf.server.partition.ReplicaManager;

/** Each share group's settings from the current metadata image: its group configs, else the broker's defaults. */
public final class ImageShareConfigs implements ShareConfigs {

    private final BrokerConfig config;
    private final ReplicaManager replicas;

    public ImageShareConfigs(BrokerConfig config, ReplicaManager replicas) {
        this.config = config;
        this.replicas = replicas;
    }

    @Override
    public ShareGroupConfig of(String groupId) {
        return GroupConfigs.shareConfig(config, replicas.image(), groupId);
    }
}
