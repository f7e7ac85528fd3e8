/**
 * One class per Kafka API, each declaring the versions it serves ({@link io.wharf.server.handler.ApiHandler}). The
 * ApiVersions response is built from the registered handlers ({@link io.wharf.server.handler.HandlerRegistry}), so
 * an API without a handler is absent rather than half-answered. Handlers read and write the generated
 * {@code *RequestData}/{@code *ResponseData} messages; record bytes and framing stay in {@code protocol}.
 */
package io.wharf.server.handler;
