/**
 * The handlers of Kafka's transaction APIs: one class per API, each a thin translation between the request and
 * response messages and the transaction coordinator, the group coordinator (transactional offsets) or the partitions
 * (markers, producer state).
 */
package io.wharf.server.handler.txn;
