package io.wharf.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A listener's name and address, written in configs as {@code NAME://host:port} (Kafka's form). An empty host means
 * every interface.
 */
public record Endpoint(String listenerName, String host, int port) {

    /**
     * Parses a comma-separated list such as {@code PLAINTEXT://127.0.0.1:9092,INTERNAL://:9093}.
     *
     * @throws IllegalArgumentException for an entry that is not {@code NAME://host:port}, a port out of range, or a
     *     listener name used twice
     */
    public static List<Endpoint> parseList(String text) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String item : text.split(",")) {
            String entry = item.trim();
            if (entry.isEmpty()) {
                continue;
            }
            Endpoint endpoint = parse(entry);
            if (endpoints.stream().anyMatch(e -> e.listenerName.equals(endpoint.listenerName))) {
                throw new IllegalArgumentException("listener " + endpoint.listenerName + " is given twice");
            }
            endpoints.add(endpoint);
        }
        return endpoints;
    }

    /** Parses one {@code NAME://host:port}; IPv6 hosts go in brackets. */
    public static Endpoint parse(String text) {
        int scheme = text.indexOf("://");
        int colon = text.lastIndexOf(':');
        if (scheme <= 0 || colon <= scheme + 2) {
            throw new IllegalArgumentException("expected NAME://host:port, got " + text);
        }
        String name = text.substring(0, scheme).toUpperCase(Locale.ROOT);
        String host = text.substring(scheme + 3, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port in " + text);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in " + text);
        }
        return new Endpoint(name, host, port);
    }

    public Endpoint withPort(int newPort) {
        return new Endpoint(listenerName, host, newPort);
    }

    @Override
    public String toString() {
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        return listenerName + "://" + shownHost + ":" + port;
    }
}
