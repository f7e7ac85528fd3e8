package io.wharf.amqp.connection;

import io.wharf.amqp.AmqpConfig;
import io.wharf.amqp.codec.MethodCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Checks connection.start-ok's credentials: PLAIN ({@code \0user\0password}) and AMQPLAIN (a field table with
 * {@code LOGIN} and {@code PASSWORD}) against the configured users, and refuses a loopback-only user (guest) who
 * connects from elsewhere, as RabbitMQ does.
 */
final class Authentication {

    static final String MECHANISMS = "PLAIN AMQPLAIN";

    private Authentication() {}

    /** @return the user's name, or null when the credentials are refused */
    static String authenticate(AmqpConfig config, String mechanism, byte[] response, boolean fromLoopback) {
        String[] credentials = switch (mechanism) {
            case "PLAIN" -> plain(response);
            case "AMQPLAIN" -> amqPlain(response);
            default -> null;
        };
        if (credentials == null) {
            return null;
        }
        String password = config.users().get(credentials[0]);
        if (password == null || !password.equals(credentials[1])) {
            return null;
        }
        if (config.loopbackUsers().contains(credentials[0]) && !fromLoopback) {
            return null;
        }
        return credentials[0];
    }

    private static String[] plain(byte[] response) {
        String text = new String(response, StandardCharsets.UTF_8);
        String[] parts = text.split("\0", -1);
        return parts.length == 3 ? new String[] {parts[1], parts[2]} : null;
    }

    private static String[] amqPlain(byte[] response) {
        Map<String, Object> table = MethodCodec.readTableBody(response);
        if (table == null || table.get("LOGIN") == null || table.get("PASSWORD") == null) {
            return null;
        }
        return new String[] {
            table.get("LOGIN").toString(), table.get("PASSWORD").toString()
        };
    }
}
