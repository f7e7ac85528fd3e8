package io.wharf.coordinator.runtime;

import java.util.HexFormat;

/** Bytes written as hex, one field per argument, so a layout test can show the format field by field. */
public final class HexBytes {

    private HexBytes() {}

    /** The bytes the hex parts spell, spaces ignored. */
    public static byte[] of(String... parts) {
        return HexFormat.of().parseHex(String.join("", parts).replace(" ", ""));
    }

    /** The bytes as hex, for comparisons that show where they differ. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
