/**
 * The handlers of the share group (KIP-932 queue) APIs that are not group membership: ShareFetch, ShareAcknowledge
 * and the share group offset APIs. Membership (ShareGroupHeartbeat, ShareGroupDescribe) is in
 * {@code io.wharf.server.handler.group}.
 */
package io.wharf.server.handler.share;
