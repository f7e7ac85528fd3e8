/**
 * Kafka frames in and out: {@link io.wharf.protocol.wire.RequestCodec} turns a request frame into a header and a
 * generated {@code *RequestData} message, {@link io.wharf.protocol.wire.ResponseCodec} turns a {@code *ResponseData}
 * message into a {@link io.wharf.protocol.wire.ResponseFrame}: byte buffers interleaved with file regions, so record
 * data fetched from a log goes to the socket without being copied.
 */
package io.wharf.protocol.wire;
