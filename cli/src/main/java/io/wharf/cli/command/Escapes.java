package io.wharf.cli.command;

import io.wharf.cli.CliException;
import java.nio.charset.StandardCharsets;

/**
 * Reads separators given on the command line, where a shell makes tab and newline hard to type: {@code \t},
 * {@code \n}, {@code \r}, {@code \0} and {@code \\} stand for themselves. Stateless.
 */
final class Escapes {

    private Escapes() {}

    /** The bytes (UTF-8) of {@code text} with escapes replaced; {@code option} names it in errors. */
    static byte[] separator(String option, String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i == text.length() - 1) {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case '0' -> out.append('\0');
                case '\\' -> out.append('\\');
                default -> out.append('\\').append(next);
            }
        }
        if (out.length() == 0) {
            throw CliException.usage(option + " must not be empty");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
