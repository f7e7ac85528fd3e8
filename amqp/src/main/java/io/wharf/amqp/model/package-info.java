/**
 * Exchanges, bindings and queues of one virtual host, and routing: direct by exact key, fanout to every binding,
 * topic by {@code *} / {@code #} patterns, headers by {@code x-match}; exchange-to-exchange bindings are followed with
 * each exchange visited once. Everything here is mutated by the broker's one thread only.
 */
package io.wharf.amqp.model;
