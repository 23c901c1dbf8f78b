package dev.archon.sync.engine;

import dev.archon.sync.delta.CopyText;
import dev.archon.sync.delta.HashedRow;
import dev.archon.sync.delta.KeyConflict;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The conflicts of a bidirectional sync as shown to people: table, key, kind and the columns that
 * differ with both values shortened. Values of secret tables are never shown.
 */
final class ConflictList {
    static final int MAX_LISTED = 200;
    static final int MAX_VALUE = 60;
    private static final String HIDDEN = "(hidden: secret table)";

    private ConflictList() {
    }

    /** Reads both versions of the listed conflicts (the first {@link #MAX_LISTED}) on the two open transactions. */
    static List<Map<String, Object>> describe(Connection loc, Connection rem, Map<TablePlan, List<KeyConflict>> conflicts,
            MergeScan scan) throws SQLException, IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<TablePlan, List<KeyConflict>> e : conflicts.entrySet()) {
            if (out.size() >= MAX_LISTED) {
                break;
            }
            TablePlan t = e.getKey();
            List<KeyConflict> listed = e.getValue().subList(0, Math.min(e.getValue().size(), MAX_LISTED - out.size()));
            List<HashedRow> keys = listed.stream().map(KeyConflict::key).toList();
            var keyed = scan.entry(t).keyed;
            Map<String, Map<String, String>> localRows = ConflictRows.columns(loc, keyed, keys);
            Map<String, Map<String, String>> remoteRows = ConflictRows.columns(rem, keyed, keys);
            boolean secret = secret(t);
            for (KeyConflict c : listed) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("table", t.name());
                m.put("key", key(keyed.keyColumns(), c.key()));
                m.put("kind", c.kind().label());
                m.put("columns", columns(localRows.get(c.key().keyLine()), remoteRows.get(c.key().keyLine()), secret));
                out.add(m);
            }
        }
        return out;
    }

    static boolean secret(TablePlan t) {
        return t.sensitive() || t.source().name().name().equals("archon_settings");
    }

    static String key(List<String> columns, HashedRow key) {
        String[] f = key.key();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < f.length; i++) {
            parts.add(columns.get(i) + "=" + CopyText.unescape(f[i]));
        }
        return String.join(", ", parts);
    }

    static List<Map<String, Object>> columns(Map<String, String> local, Map<String, String> remote, boolean secret) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (local == null || remote == null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("column", "(row)");
            m.put("local", local == null ? "(deleted)" : "(present)");
            m.put("remote", remote == null ? "(deleted)" : "(present)");
            out.add(m);
            return out;
        }
        TreeSet<String> names = new TreeSet<>(local.keySet());
        names.addAll(remote.keySet());
        for (String n : names) {
            String l = local.get(n);
            String r = remote.get(n);
            if (!Objects.equals(l, r)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("column", n);
                m.put("local", secret ? HIDDEN : shorten(l));
                m.put("remote", secret ? HIDDEN : shorten(r));
                out.add(m);
            }
        }
        return out;
    }

    static String shorten(String v) {
        if (v == null) {
            return null;
        }
        return v.length() <= MAX_VALUE ? v : v.substring(0, MAX_VALUE - 1) + "\u2026";
    }

    /** One line per conflict, for the exception's details and the CLI. */
    static List<String> lines(List<Map<String, Object>> list) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> c : list) {
            StringBuilder b = new StringBuilder(c.get("table") + " " + c.get("key") + ": " + c.get("kind"));
            if (c.containsKey("local_key")) {
                b.append(" (local ").append(c.get("local_key")).append(", remote ").append(c.get("remote_key")).append(')');
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> cols = (List<Map<String, Object>>) c.get("columns");
            for (Map<String, Object> col : cols) {
                b.append("; ").append(col.get("column")).append(" local=").append(col.get("local")).append(" remote=")
                        .append(col.get("remote"));
            }
            out.add(b.toString());
        }
        return out;
    }
}
