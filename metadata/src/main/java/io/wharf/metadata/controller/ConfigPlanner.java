package io.wharf.metadata.controller;

import io.wharf.metadata.MetadataError;
import io.wharf.metadata.MetadataException;
import io.wharf.metadata.image.MetadataImage;
import io.wharf.metadata.record.ConfigRecord;
import io.wharf.metadata.record.MetadataRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a change to settings writes: the resource's explicit settings after the edits, compared with those before.
 * Pure. The edits run against the settings in the image the change applies to, so an APPEND to a list cannot lose a
 * concurrent one, and a topic deleted meanwhile refuses its settings instead of passing them to a new topic of that
 * name.
 */
final class ConfigPlanner {

    private final ConfigRules rules;

    ConfigPlanner(ConfigRules rules) {
        this.rules = rules;
    }

    Change<List<ChangeResult>> alterConfigs(MetadataImage current, List<ConfigChange> changes, boolean validateOnly) {
        List<MetadataRecord> records = new ArrayList<>();
        List<ChangeResult> results = new ArrayList<>();
        for (ConfigChange change : changes) {
            results.add(plan(current, change, records));
        }
        return new Change<>(validateOnly ? List.of() : records, results);
    }

    private ChangeResult plan(MetadataImage current, ConfigChange change, List<MetadataRecord> records) {
        if (change.type() == ConfigRecord.ResourceType.TOPIC
                && current.topic(change.name()).isEmpty()) {
            return new ChangeResult(
                    MetadataError.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + change.name() + "' does not exist.");
        }
        Map<String, String> before = current.configs(change.type(), change.name());
        Map<String, String> after;
        try {
            after = edited(current, change, before);
        } catch (MetadataException e) {
            return new ChangeResult(e.error(), e.getMessage());
        }
        for (Map.Entry<String, String> entry : after.entrySet()) {
            if (!entry.getValue().equals(before.get(entry.getKey()))) {
                records.add(new ConfigRecord(change.type(), change.name(), entry.getKey(), entry.getValue()));
            }
        }
        for (String key : before.keySet()) {
            if (!after.containsKey(key)) {
                records.add(new ConfigRecord(change.type(), change.name(), key, null));
            }
        }
        return ChangeResult.OK;
    }

    private Map<String, String> edited(MetadataImage current, ConfigChange change, Map<String, String> before) {
        Map<String, String> after = change.incremental() ? new HashMap<>(before) : new HashMap<>();
        for (ConfigChange.Edit edit : change.edits()) {
            switch (edit.op()) {
                case SET -> {
                    if (edit.value() == null) {
                        after.remove(edit.key());
                    } else {
                        rules.check(change.type(), change.name(), edit.key(), edit.value());
                        after.put(edit.key(), edit.value());
                    }
                }
                case DELETE -> after.remove(edit.key());
                case APPEND, SUBTRACT -> {
                    String base = after.get(edit.key());
                    if (base == null) {
                        base = rules.inherited(current, change.type(), change.name(), edit.key());
                    }
                    String list = editList(base, edit);
                    rules.check(change.type(), change.name(), edit.key(), list);
                    after.put(edit.key(), list);
                }
            }
        }
        return after;
    }

    /** Appends the edit's items that are missing, or removes every occurrence of them, keeping the list's order. */
    static String editList(String base, ConfigChange.Edit edit) {
        List<String> items = items(base);
        for (String item : items(edit.value())) {
            if (edit.op() == ConfigChange.Op.APPEND) {
                if (!items.contains(item)) {
                    items.add(item);
                }
            } else {
                items.removeIf(item::equals);
            }
        }
        return String.join(",", items);
    }

    private static List<String> items(String list) {
        List<String> items = new ArrayList<>();
        if (list == null) {
            return items;
        }
        for (String item : list.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }
}
