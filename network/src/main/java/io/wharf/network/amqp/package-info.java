/**
 * AMQP 0-9-1 framing on the network server's event loops, beside the Kafka framing and sharing nothing with its
 * path. {@link io.wharf.network.amqp.AmqpFrameDecoder} checks the protocol header and cuts the byte stream into
 * frames (type, channel, payload, frame-end octet); {@link io.wharf.network.amqp.AmqpLink} is what the AMQP front end
 * holds of a connection: send frames at any time (deliveries are unsolicited), flush, pause reading, heartbeats, close.
 * The methods inside the frames are the {@code amqp} module's business.
 */
package io.wharf.network.amqp;
