/**
 * The Kafka wire protocol as Wharf speaks it. This module is the only one that imports kafka-clients' internal
 * classes (the generated {@code *RequestData}/{@code *ResponseData} messages, the record classes); everything else
 * in Wharf sees Wharf's own types, so a change in those internals is absorbed here.
 */
package io.wharf.protocol;
