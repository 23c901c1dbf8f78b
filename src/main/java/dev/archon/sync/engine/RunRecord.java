package dev.archon.sync.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run's history row claims, built from its {@link RunContext}. Only a committed run claims
 * tables synced and verification verdicts; a run that rolled back records {@code tables_synced: []}
 * and {@code verification_results: {"performed": false}}, its partial progress going to
 * {@code metadata.partial} (what was loaded and checked before the rollback, none of it kept).
 */
final class RunRecord {
    static final String SYNC = "sync";

    private RunRecord() {
    }

    /** "sync", "restore" or "undo", from a {@link RunWork.Description#operation()} (every kind of sync is "sync"). */
    static String operation(String kind) {
        return "restore".equals(kind) || "undo".equals(kind) ? kind : SYNC;
    }

    static List<Map<String, Object>> tables(RunContext run) {
        return run.tables.stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table_name", t.tableName());
            m.put("row_count", t.rowCount());
            m.put("duration_seconds", t.durationSeconds());
            m.put("bytes", t.bytes());
            m.put("format", t.format());
            m.put("mode", t.mode());
            m.put("inserted", t.inserted());
            m.put("updated", t.updated());
            if (t.deleted() >= 0) {
                m.put("deleted", t.deleted());
            }
            m.put("statements", t.statements());
            return m;
        }).toList();
    }

    /** verification_results: the verdicts of a committed run, {"performed": false} otherwise. */
    static Map<String, Object> verification(RunContext run, boolean committed) {
        Map<String, Object> v = new LinkedHashMap<>();
        if (!committed) {
            v.put("performed", false);
            return v;
        }
        v.put("performed", true);
        v.put("all_match", run.verification.stream().allMatch(TableVerification::match)
                && run.sequences.values().stream().allMatch(Boolean::booleanValue));
        v.put("tables", run.verification);
        v.put("sequences", run.sequences);
        return v;
    }

    /** What a rolled-back run had done when it stopped (none of it is in the target). */
    static Map<String, Object> partial(RunContext run, String phase) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("rolled_back", true);
        p.put("stopped_in_phase", phase);
        p.put("tables_loaded_then_rolled_back", tables(run));
        if (!run.verification.isEmpty()) {
            p.put("verification_before_rollback", run.verification);
        }
        if (!run.sequences.isEmpty()) {
            p.put("sequences_before_rollback", run.sequences);
        }
        return p;
    }
}
