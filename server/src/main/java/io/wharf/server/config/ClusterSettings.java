package io.wharf.server.config;

import io.wharf.common.Endpoint;
import io.wharf.common.config.ConfigException;
import io.wharf.metadata.raft.QuorumConfig;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a node is in its cluster, as its cluster keys say ({@link ClusterConfigs}).
 *
 * @param clustered whether the node is one of a cluster ({@code controller.quorum.voters} is set); a node that is not
 *     is a cluster of one, broker and controller at once
 * @param broker whether the node serves clients and hosts partitions
 * @param controller whether the node is a voter of the metadata quorum
 * @param voters the quorum's voters (empty for a cluster of one)
 * @param interBrokerListener the listener other brokers reach this one on
 * @param rack {@code broker.rack}, or null
 */
public record ClusterSettings(
        boolean clustered,
        boolean broker,
        boolean controller,
        List<QuorumConfig.Voter> voters,
        String interBrokerListener,
        String rack) {

    static ClusterSettings of(BrokerConfig config) {
        String votersText = config.get(ClusterConfigs.CONTROLLER_QUORUM_VOTERS);
        List<Endpoint> listeners = config.listeners();
        String interBroker = config.get(ClusterConfigs.INTER_BROKER_LISTENER_NAME);
        if (interBroker == null) {
            interBroker = listeners.isEmpty() ? null : listeners.get(0).listenerName();
        }
        String rack = config.get(ClusterConfigs.BROKER_RACK);
        if (votersText == null) {
            return new ClusterSettings(false, true, true, List.of(), interBroker, rack);
        }
        List<String> roles = config.get(ClusterConfigs.PROCESS_ROLES);
        return new ClusterSettings(
                true,
                roles.contains("broker"),
                roles.contains("controller"),
                QuorumConfig.Voter.parseList(votersText),
                interBroker,
                rack);
    }

    /** The voter entry of this node, if it is one. */
    public Optional<QuorumConfig.Voter> selfVoter(int nodeId) {
        return voters.stream().filter(v -> v.nodeId() == nodeId).findFirst();
    }

    /**
     * Checks that the cluster keys agree with each other and with the listeners.
     *
     * @throws ConfigException naming the key at fault
     */
    static void check(BrokerConfig config) {
        String voters = config.get(ClusterConfigs.CONTROLLER_QUORUM_VOTERS);
        if (voters == null && config.get(ClusterConfigs.CONTROLLER_QUORUM_BOOTSTRAP_SERVERS) != null) {
            throw new ConfigException(
                    ClusterConfigs.CONTROLLER_QUORUM_BOOTSTRAP_SERVERS.name(),
                    "Wharf forms its metadata quorum from controller.quorum.voters (id@host:port,...); set it in"
                            + " place of controller.quorum.bootstrap.servers");
        }
        checkSecurityProtocols(config);
        ClusterSettings settings;
        try {
            settings = of(config);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ClusterConfigs.CONTROLLER_QUORUM_VOTERS.name(), e.getMessage());
        }
        if (!settings.clustered()) {
            return;
        }
        int nodeId = config.nodeId();
        boolean isVoter = settings.selfVoter(nodeId).isPresent();
        if (!settings.broker() && !settings.controller()) {
            throw new ConfigException(ClusterConfigs.PROCESS_ROLES.name(), "process.roles names no role");
        }
        if (settings.controller() && !isVoter) {
            throw new ConfigException(
                    ClusterConfigs.CONTROLLER_QUORUM_VOTERS.name(),
                    "node " + nodeId + " has the controller role but is not in controller.quorum.voters (" + voters
                            + ")");
        }
        if (!settings.controller() && isVoter) {
            throw new ConfigException(
                    ClusterConfigs.PROCESS_ROLES.name(),
                    "node " + nodeId + " is in controller.quorum.voters but process.roles has no controller role");
        }
        if (settings.controller()) {
            checkControllerListener(config, settings.selfVoter(nodeId).orElseThrow());
        }
        if (settings.broker()) {
            if (config.listeners().isEmpty()) {
                throw new ConfigException(
                        BrokerConfig.LISTENERS.name(), "a broker needs a listener that is not a controller listener");
            }
            String interBroker = settings.interBrokerListener();
            if (config.listeners().stream().noneMatch(e -> e.listenerName().equals(interBroker))) {
                throw new ConfigException(
                        ClusterConfigs.INTER_BROKER_LISTENER_NAME.name(),
                        "inter.broker.listener.name " + interBroker + " is not one of the listeners");
            }
        }
    }

    /** A controller listens for the quorum on its voter entry's port, under the first controller listener name. */
    private static void checkControllerListener(BrokerConfig config, QuorumConfig.Voter self) {
        String name = config.get(ClusterConfigs.CONTROLLER_LISTENER_NAMES).get(0);
        Optional<Endpoint> listener = config.allListeners().stream()
                .filter(e -> e.listenerName().equals(name))
                .findFirst();
        if (listener.isPresent() && listener.get().port() != self.port()) {
            throw new ConfigException(
                    BrokerConfig.LISTENERS.name(),
                    "the " + name + " listener's port " + listener.get().port() + " differs from this node's entry in"
                            + " controller.quorum.voters (" + self.nodeId() + "@" + self.host() + ":" + self.port()
                            + ")");
        }
    }

    /** Wharf serves PLAINTEXT only: a map that gives a listener in use another protocol is refused. */
    private static void checkSecurityProtocols(BrokerConfig config) {
        String map = config.get(ClusterConfigs.LISTENER_SECURITY_PROTOCOL_MAP);
        if (map == null) {
            return;
        }
        for (Endpoint listener : config.allListeners()) {
            String protocol = null;
            for (String entry : map.split(",")) {
                String[] parts = entry.trim().split(":");
                if (parts.length == 2
                        && parts[0].trim().toUpperCase(Locale.ROOT).equals(listener.listenerName())) {
                    protocol = parts[1].trim().toUpperCase(Locale.ROOT);
                }
            }
            if (protocol == null && listener.listenerName().equals(AmqpConfigs.AMQP_LISTENER)) {
                continue;
            }
            if (protocol == null) {
                throw new ConfigException(
                        ClusterConfigs.LISTENER_SECURITY_PROTOCOL_MAP.name(),
                        "listener " + listener.listenerName() + " has no security protocol in " + map);
            }
            if (!protocol.equals("PLAINTEXT") && !protocol.equals(AmqpConfigs.AMQP_LISTENER)) {
                throw new ConfigException(
                        ClusterConfigs.LISTENER_SECURITY_PROTOCOL_MAP.name(),
                        "listener " + listener.listenerName() + " uses " + protocol
                                + "; Wharf serves PLAINTEXT listeners only");
            }
        }
    }
}
