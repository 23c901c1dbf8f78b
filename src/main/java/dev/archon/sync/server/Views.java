package dev.archon.sync.server;

import dev.archon.sync.engine.CheckResult;
import dev.archon.sync.engine.DiffReport;
import dev.archon.sync.engine.Preflight;
import dev.archon.sync.engine.SyncListener;
import dev.archon.sync.engine.SyncResult;
import dev.archon.sync.engine.TablePlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON shapes of the engine's results (explicit, so the API does not change when a record grows). */
final class Views {
    private Views() {
    }

    static Map<String, Object> preflight(Preflight p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put("ok", p.ok());
        m.put("direction", p.direction().value());
        m.put("source_db", p.direction().source() == null ? "local" : p.direction().source().label());
        m.put("target_db", p.direction().target() == null ? "remote" : p.direction().target().label());
        m.put("source_version", p.sourceVersion());
        m.put("target_version", p.targetVersion());
        m.put("checks", p.checks().stream().map(Views::check).toList());
        m.put("errors", messages(p.errors()));
        m.put("warnings", messages(p.warnings()));
        m.put("tables", p.tables().stream().map(Views::table).toList());
        m.put("rows_to_delete", p.rowsToDelete());
        m.put("rows_to_import", p.rowsToLoad());
        m.put("bytes_to_import", p.bytesToLoad());
        return m;
    }

    /** A bidirectional dry run: per table and side the rows to carry, and the conflicts. */
    static Map<String, Object> merge(SyncResult preview) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put("dry_run", true);
        m.put("direction", preview.direction().value());
        m.put("merge", preview.metrics().get("merge"));
        m.put("conflicts", preview.metrics().get("conflicts"));
        m.put("conflict_count", preview.metrics().get("conflict_count"));
        m.put("mass_delete", preview.metrics().get("mass_delete"));
        m.put("constraint_violations", preview.metrics().get("constraint_violations"));
        return m;
    }

    /**
     * The preflight with what a changes-only sync would write: per table "inserts", "updates",
     * "deletes", "unchanged" (and "full_copy" with the reason for a table without a key), and totals.
     */
    static Map<String, Object> preflight(Preflight p, DiffReport diff) {
        Map<String, Object> m = preflight(p);
        if (diff == null) {
            return m;
        }
        Map<String, DiffReport.Table> byName = new java.util.HashMap<>();
        diff.tables().forEach(t -> byName.put(t.table(), t));
        List<Map<String, Object>> tables = new java.util.ArrayList<>();
        for (TablePlan t : p.tables()) {
            Map<String, Object> row = table(t);
            DiffReport.Table d = byName.get(t.name());
            if (d != null) {
                row.put("inserts", d.inserts());
                row.put("updates", d.updates());
                row.put("deletes", d.deletes());
                row.put("unchanged", d.unchanged());
                if (d.full() != null) {
                    row.put("full_copy", d.full());
                }
            }
            tables.add(row);
        }
        m.put("tables", tables);
        m.put("inserts", diff.inserts());
        m.put("updates", diff.updates());
        m.put("deletes", diff.deletes());
        return m;
    }

    /** The reasons of a refusal: each error check's message and detail lines. */
    static List<String> reasons(Preflight p) {
        return p.errors().stream()
                .flatMap(c -> java.util.stream.Stream.concat(java.util.stream.Stream.of(c.name() + ": " + c.message()),
                        c.details().stream().map(d -> c.name() + ": " + d)))
                .toList();
    }

    static Map<String, Object> check(CheckResult c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("status", c.status().name().toLowerCase(Locale.ROOT));
        m.put("message", c.message());
        m.put("details", c.details());
        return m;
    }

    static Map<String, Object> table(TablePlan t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("table_name", t.name());
        m.put("rows_to_delete", t.targetRows());
        m.put("rows_to_import", t.sourceRows());
        m.put("source_bytes", t.sourceBytes());
        m.put("format", t.binary() ? "binary" : "text");
        m.put("sensitive", t.sensitive());
        return m;
    }

    static Map<String, Object> result(SyncResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sync_id", r.syncId());
        m.put("direction", r.direction().value());
        m.put("status", r.status());
        m.put("exit_code", r.exitCode());
        m.put("error_message", r.errorMessage());
        m.put("rows", r.rows());
        m.put("backup_file", r.backupFile());
        return m;
    }

    static Map<String, Object> progress(SyncListener.Progress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", p.phase());
        m.put("table", p.table());
        m.put("total_rows", p.totalRows());
        m.put("synced_rows", p.syncedRows());
        m.put("percent", p.percent());
        m.put("bytes", p.bytes());
        return m;
    }

    private static List<String> messages(List<CheckResult> checks) {
        return checks.stream().map(c -> c.name() + ": " + c.message()).toList();
    }
}
