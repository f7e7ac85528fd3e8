/**
 * What a virtual host keeps on disk, as records with explicit codes: {@link io.wharf.amqp.store.StateRecord} (durable
 * exchanges, queues, bindings, and settlements of stored messages) and its byte layout in
 * {@link io.wharf.amqp.store.StateRecordCodec}; {@link io.wharf.amqp.store.StoredMessage} is the layout of a message in
 * a durable queue's log. The broker writes both to Wharf partition logs.
 */
package io.wharf.amqp.store;
