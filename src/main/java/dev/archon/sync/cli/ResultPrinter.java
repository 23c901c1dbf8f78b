package dev.archon.sync.cli;

import dev.archon.sync.engine.Direction;
import dev.archon.sync.engine.SyncResult;
import dev.archon.sync.engine.TableResult;
import dev.archon.sync.engine.TableVerification;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Prints a run's outcome for people: what it was, per-table rows, verification, backup, metrics as a table. */
final class ResultPrinter {
    /** The metrics shown first, in this order, with their labels and units; any other follows by name. */
    private static final Map<String, String[]> KNOWN = new LinkedHashMap<>();

    static {
        known("total_seconds", "total", "s");
        known("lock_wait_seconds", "waiting for locks", "s");
        known("backup_seconds", "backup", "s");
        known("export_seconds", "export", "s");
        known("import_seconds", "import", "s");
        known("indexing_seconds", "indexing", "s");
        known("verification_seconds", "verification", "s");
        known("lock_window_seconds", "tables locked", "s");
        known("bytes_streamed", "streamed", "bytes");
        known("indexes_rebuilt", "indexes rebuilt", "");
        known("foreign_keys_readded", "foreign keys re-added", "");
        known("source_checksums_from_stream", "checksums from the stream", "tables");
        known("target_checksums_from_base_hashes", "target checksums from the base's hashes", "tables");
        known("backup", "backup taken", "");
        known("backup_content", "backup holds", "");
        known("hash_bytes", "hashes read", "bytes");
        known("base_hashes_reused", "hashes reused from the base", "");
        known("base_hash_seconds", "base hashed", "s");
        known("base_local", "base on local", "");
        known("base_remote", "base on remote", "");
    }

    private ResultPrinter() {
    }

    private static void known(String key, String label, String unit) {
        KNOWN.put(key, new String[] {label, unit});
    }

    static void print(PrintWriter out, SyncResult r) {
        out.println(r.syncId() + " " + what(r) + ": " + r.status() + (r.errorMessage() == null ? "" : " (" + r.errorMessage() + ")"));
        boolean merge = r.direction() == Direction.BIDIRECTIONAL;
        if (!r.completed()) {
            out.println(merge ? "  not verified: rolled back on both databases, nothing was changed"
                    : "  not verified: rolled back, the target is unchanged");
        } else {
            out.printf("  %-40s %-7s %10s %10s %10s %10s %9s  %s%n", "table", "mode", "written", "inserted", "updated",
                    "deleted", "seconds", "format");
            for (TableResult t : r.tables()) {
                out.printf("  %-40s %-7s %10d %10d %10d %10s %9.2f  %s%n", t.tableName(), t.mode(), t.rowCount(), t.inserted(),
                        t.updated(), t.deleted() < 0 ? "-" : String.valueOf(t.deleted()), t.durationSeconds(), t.format());
            }
            long ok = r.verification().stream().filter(TableVerification::match).count();
            out.println("  verification: " + ok + "/" + r.verification().size() + " tables match (row counts and content checksums)");
        }
        if (merge && r.completed()) {
            // one archive per side written (restore each with archon-sync restore FILE --target local|remote)
            for (String side : List.of("local", "remote")) {
                Object file = r.metrics().get("backup_" + side);
                out.println("  backup of " + side + ": " + (file != null ? file : r.metrics().get("backup") == Boolean.FALSE
                        ? "none (--no-backup)" : "none (nothing written there)"));
            }
        } else {
            out.println("  backup: " + (r.backupFile() != null ? r.backupFile() : r.completed() ? "none (this run cannot be undone)"
                    : merge ? "none kept (the run rolled back; both databases still hold what they held)"
                    : "none kept (the run rolled back; the target still holds what it held)"));
        }
        List<String[]> rows = metricRows(r.metrics());
        if (!rows.isEmpty()) {
            out.println("  metrics:");
            int width = rows.stream().mapToInt(m -> m[0].length()).max().orElse(0);
            for (String[] m : rows) {
                out.printf("    %-" + width + "s  %s%n", m[0], m[1]);
            }
        }
    }

    /** "local-to-remote", "undo of sync_... (remote database)", "restore into the local database". */
    static String what(SyncResult r) {
        String db = r.direction().target() == null ? "both" : r.direction().target().label(); // bidirectional: no one target
        return switch (r.operation()) {
            case "undo" -> "undo of " + r.undoneSyncId() + " (restored the " + db + " database from its backup)";
            case "restore" -> "restore into the " + db + " database";
            default -> r.direction().toString();
        };
    }

    /**
     * (label, value) rows: known metrics in their order, then the rest by name. Structured metrics
     * (a merge's per-table counts, its conflicts, its commits) are left to their own tables
     * ({@link MergePrinter}) and to --json: a one-line dump of them helps nobody.
     */
    static List<String[]> metricRows(Map<String, Object> metrics) {
        List<String[]> rows = new ArrayList<>();
        KNOWN.forEach((key, lu) -> {
            if (metrics.containsKey(key)) {
                rows.add(new String[] {lu[0], value(metrics.get(key), lu[1])});
            }
        });
        if (metrics.get("commits") instanceof Map<?, ?> commits) { // a merge: what each side did
            rows.add(new String[] {"commits", commits.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", "))});
        }
        new TreeMap<>(metrics).forEach((key, v) -> {
            boolean shownAbove = key.equals("backup_local") || key.equals("backup_remote"); // a merge's archives, on their own lines
            if (!KNOWN.containsKey(key) && !shownAbove && !(v instanceof Map<?, ?>) && !(v instanceof java.util.Collection<?>)) {
                rows.add(new String[] {key.replace('_', ' '), value(v, key.endsWith("_seconds") ? "s" : "")});
            }
        });
        return rows;
    }

    private static String value(Object v, String unit) {
        if (v instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        if ("bytes".equals(unit) && v instanceof Number n) {
            return String.format(Locale.ROOT, "%.1f MB", n.doubleValue() / 1048576.0);
        }
        if ("s".equals(unit) && v instanceof Number n) {
            return String.format(Locale.ROOT, "%.2f s", n.doubleValue());
        }
        return String.valueOf(v) + (unit.isEmpty() || !(v instanceof Number) ? "" : " " + unit);
    }
}
