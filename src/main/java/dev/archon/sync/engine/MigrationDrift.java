package dev.archon.sync.engine;

import dev.archon.sync.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Compares the two databases' archon_migrations (it is compared, never copied). */
final class MigrationDrift {
    private static final String ROWS = "SELECT version || '/' || migration_name || coalesce(' (' || checksum || ')', '')"
            + " FROM public.archon_migrations";

    private MigrationDrift() {
    }

    static CheckResult compare(Connection s, Connection t, String sourceLabel, String targetLabel) throws SQLException {
        Set<String> source = rows(s);
        Set<String> target = rows(t);
        if (source == null || target == null) {
            return CheckResult.warning("schema_version", "archon_migrations is missing on the "
                    + (source == null ? sourceLabel : targetLabel) + " database: cannot compare schema versions", List.of());
        }
        List<String> lines = new ArrayList<>();
        for (String m : names(source)) {
            if (!names(target).contains(m)) {
                lines.add("applied on the " + sourceLabel + " database only: " + m);
            }
        }
        for (String m : names(target)) {
            if (!names(source).contains(m)) {
                lines.add("applied on the " + targetLabel + " database only: " + m);
            }
        }
        return lines.isEmpty() ? CheckResult.ok("schema_version", source.size() + " migrations, the same on both")
                : CheckResult.warning("schema_version", "the databases' migrations differ (" + lines.size() + ")", lines);
    }

    private static Set<String> rows(Connection c) throws SQLException {
        if (!Sql.queryBoolean(c, "SELECT to_regclass('public.archon_migrations') IS NOT NULL")) {
            return null;
        }
        return new TreeSet<>(Sql.queryStrings(c, ROWS));
    }

    private static Set<String> names(Set<String> rows) {
        Set<String> out = new TreeSet<>();
        rows.forEach(r -> out.add(r.contains(" (") ? r.substring(0, r.indexOf(" (")) : r));
        return out;
    }
}
