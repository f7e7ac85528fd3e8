/**
 * The handlers of the share group (KIP-932 queue) APIs that are not group membership: ShareFetch, ShareAcknowledge,
 * the share group offset APIs, and the inter-broker share-group state APIs the share coordinator serves
 * (InitializeShareGroupState, ReadShareGroupState, WriteShareGroupState, DeleteShareGroupState,
 * ReadShareGroupStateSummary). Membership (ShareGroupHeartbeat, ShareGroupDescribe) is in
 * {@code io.wharf.server.handler.group}.
 */
package io.wharf.server.handler.share;
