package io.wharf.metadata.controller;

import io.wharf.metadata.record.ConfigRecord;
import java.util.List;

/**
 * A change to the settings of one resource (a topic, a broker id or "" for the cluster default, a group), as data, so
 * that any node can send it to the controller.
 *
 * @param incremental false for AlterConfigs, whose SETs become all the explicit settings of the resource; true for
 *     IncrementalAlterConfigs, whose edits apply to the current ones
 */
public record ConfigChange(ConfigRecord.ResourceType type, String name, boolean incremental, List<Edit> edits) {

    public ConfigChange {
        edits = List.copyOf(edits);
    }

    /** IncrementalAlterConfigs' operations, with their wire ids as codes. */
    public enum Op {
        SET(0),
        DELETE(1),
        APPEND(2),
        SUBTRACT(3);

        private final int code;

        Op(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** @throws IllegalArgumentException for a code no operation has */
        public static Op ofCode(int code) {
            for (Op op : values()) {
                if (op.code == code) {
                    return op;
                }
            }
            throw new IllegalArgumentException("unknown config operation " + code);
        }
    }

    /** One edit of one key; {@code value} is null for DELETE. */
    public record Edit(String key, Op op, String value) {}
}
