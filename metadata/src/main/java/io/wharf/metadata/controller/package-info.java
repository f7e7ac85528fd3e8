/**
 * The metadata controller: what a change to the cluster's metadata (a topic created, a config set, a broker fenced)
 * writes. {@link io.wharf.metadata.controller.Controller} is what brokers ask; {@link
 * io.wharf.metadata.controller.QuorumController} answers on the node that leads the metadata log, computing each
 * change's records from the current image with the pure planners of this package ({@link
 * io.wharf.metadata.controller.TopicPlanner}, {@link io.wharf.metadata.controller.BrokerPlanner}, {@link
 * io.wharf.metadata.controller.PartitionChanges}, ...) and changing nothing until the records are committed and
 * applied.
 */
package io.wharf.metadata.controller;
