/**
 * What makes a broker one node of a cluster: its metadata ({@link io.wharf.server.cluster.MetadataNode}: the local
 * or replicated metadata log, the controller when this node is one, and the way to reach the active controller), and
 * its registration with the controller ({@link io.wharf.server.cluster.BrokerLifecycle}: register, heartbeat, be
 * fenced and unfenced, shut down under control).
 */
package io.wharf.server.cluster;
