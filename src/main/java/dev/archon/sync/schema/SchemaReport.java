package dev.archon.sync.schema;

import java.util.List;

/** The checklist of one database ("local" or "remote"). */
public record SchemaReport(String database, List<SchemaCheck> checks) {
    public SchemaReport {
        checks = List.copyOf(checks);
    }

    public boolean ok() {
        return checks.stream().allMatch(SchemaCheck::ok);
    }
}
