package dev.archon.sync.engine;

import dev.archon.sync.schema.ForeignKey;
import dev.archon.sync.schema.TableInfo;
import dev.archon.sync.schema.TableName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Orders tables so that referenced tables load before referencing ones (self-references ignored:
 * a table's rows load in one COPY). Tables in a cycle keep a stable order; the apply step drops
 * and re-adds the foreign keys among the synced tables, so the order is never a correctness matter.
 */
final class LoadOrder {
    private LoadOrder() {
    }

    static List<TableInfo> sort(List<TableInfo> tables) {
        Map<TableName, TableInfo> byName = new LinkedHashMap<>();
        tables.forEach(t -> byName.put(t.name(), t));
        List<TableInfo> out = new ArrayList<>();
        Set<TableName> placed = new TreeSet<>();
        while (out.size() < tables.size()) {
            boolean progress = false;
            for (TableInfo t : byName.values()) {
                if (!placed.contains(t.name()) && dependencies(t, byName).stream().allMatch(placed::contains)) {
                    out.add(t);
                    placed.add(t.name());
                    progress = true;
                }
            }
            if (!progress) { // a cycle: place the first remaining table and go on
                TableInfo first = byName.values().stream().filter(t -> !placed.contains(t.name())).findFirst().orElseThrow();
                out.add(first);
                placed.add(first.name());
            }
        }
        return out;
    }

    private static List<TableName> dependencies(TableInfo t, Map<TableName, TableInfo> set) {
        return t.foreignKeys().stream().map(ForeignKey::referenced)
                .filter(r -> !r.equals(t.name()) && set.containsKey(r)).toList();
    }
}
