package dev.archon.sync.cli;

import dev.archon.sync.engine.SyncResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Prints a bidirectional sync's plan (per table and side) and its conflicts for people. */
final class MergePrinter {
    private MergePrinter() {
    }

    /** Whether the result is a bidirectional one (it carries a merge plan). */
    static boolean applies(SyncResult r) {
        return r.metrics().get("merge") instanceof Map;
    }

    @SuppressWarnings("unchecked")
    static void print(PrintWriter out, SyncResult r) {
        Map<String, Map<String, Object>> merge = (Map<String, Map<String, Object>>) r.metrics().get("merge");
        out.printf("  %-40s %-22s %-22s %9s  %s%n", "table", "to local (+ins ~upd -del)", "to remote (+ins ~upd -del)",
                "conflicts", "base");
        for (Map.Entry<String, Map<String, Object>> e : merge.entrySet()) {
            Map<String, Object> t = e.getValue();
            out.printf("  %-40s %-22s %-22s %9s  %s%n", e.getKey(), counts(t.get("to_local")), counts(t.get("to_remote")),
                    t.get("conflicts_unresolved") + (num(t.get("conflicts_resolved")) > 0 ? " (+" + t.get("conflicts_resolved")
                            + " resolved)" : ""), t.get("base") == null ? "none (first merge: nothing is deleted)" : "yes");
        }
        Object conflicts = r.metrics().get("conflicts");
        if (conflicts instanceof List<?> list && !list.isEmpty()) {
            out.println("  conflicts (" + r.metrics().get("conflict_count") + "):");
            for (Object o : list) {
                Map<String, Object> c = (Map<String, Object>) o;
                out.println("    " + c.get("table") + " " + c.get("key") + ": " + c.get("kind") + (c.containsKey("local_key")
                        ? " (local " + c.get("local_key") + ", remote " + c.get("remote_key") + ")" : ""));
                for (Map<String, Object> col : (List<Map<String, Object>>) c.get("columns")) {
                    out.println("      " + col.get("column") + ": local=" + col.get("local") + " | remote=" + col.get("remote"));
                }
            }
            out.println("  resolve with --on-conflict local, remote or newer (the losing versions go to the run's backup)");
        }
        Object mass = r.metrics().get("mass_delete");
        if (mass instanceof List<?> list && !list.isEmpty()) {
            out.println("  mass deletion (refused without --allow-mass-delete): " + list);
        }
        Object violations = r.metrics().get("constraint_violations");
        if (violations instanceof List<?> list && !list.isEmpty()) {
            out.println("  the merged result would break UNIQUE or foreign key constraints (refused, exit 6):");
            list.forEach(v -> out.println("    " + v));
        }
        Object resolved = r.metrics().get("natural_key_conflicts_resolved");
        if (resolved instanceof List<?> list && !list.isEmpty()) {
            out.println("  natural-key conflicts resolved (one row kept):");
            list.forEach(v -> out.println("    " + v));
        }
    }

    private static String counts(Object sideCounts) {
        if (sideCounts instanceof dev.archon.sync.delta.SideCounts c) {
            return "+" + c.inserts() + " ~" + c.updates() + " -" + c.deletes();
        }
        if (sideCounts instanceof Map<?, ?> m) {
            return "+" + m.get("inserts") + " ~" + m.get("updates") + " -" + m.get("deletes");
        }
        return String.valueOf(sideCounts);
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
