package dev.archon.sync.engine;

import dev.archon.sync.db.Sql;
import dev.archon.sync.schema.TableInfo;
import dev.archon.sync.schema.TableName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Validation's row counts: exact, without ever waiting long for a lock another session holds. */
final class RowCounts {
    /** How long counting a table's rows may wait for a lock before validation estimates them instead. */
    static final long COUNT_LOCK_WAIT_MS = 1500;

    private RowCounts() {
    }

    /**
     * The tables' exact row counts, in one statement (one round trip per database, not one per
     * table); when another session holds a lock that would make counting wait, table by table,
     * the locked ones' catalog estimates instead (named in {@code locked}), so validation never
     * hangs on a lock.
     */
    static Map<TableName, Long> count(Connection c, List<TableInfo> tables, String database, List<String> locked)
            throws SQLException {
        Map<TableName, Long> counts = new LinkedHashMap<>();
        if (tables.isEmpty()) {
            return counts;
        }
        Sql.execute(c, "SET lock_timeout = '" + COUNT_LOCK_WAIT_MS + "ms'");
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT " + tables.stream()
                .map(t -> "(SELECT count(*) FROM ONLY " + t.name().quoted() + ")").collect(Collectors.joining(", ")))) {
            rs.next();
            for (int i = 0; i < tables.size(); i++) {
                counts.put(tables.get(i).name(), rs.getLong(i + 1));
            }
            return counts;
        } catch (SQLException e) {
            if (!"55P03".equals(e.getSQLState())) {
                throw e;
            }
        } finally {
            Sql.execute(c, Validator.LOCK_WAIT);
        }
        for (TableInfo table : tables) {
            counts.put(table.name(), countRows(c, table, database, locked));
        }
        return counts;
    }

    /** One table's exact row count, or when it is locked its estimate (named in {@code locked}). */
    private static long countRows(Connection c, TableInfo table, String database, List<String> locked) throws SQLException {
        Sql.execute(c, "SET lock_timeout = '" + COUNT_LOCK_WAIT_MS + "ms'");
        try {
            return Sql.queryLong(c, "SELECT count(*) FROM ONLY " + table.name().quoted());
        } catch (SQLException e) {
            if (!"55P03".equals(e.getSQLState())) {
                throw e;
            }
            String holder = Sql.queryString(c, "SELECT string_agg(DISTINCT coalesce(nullif(a.application_name, ''), 'pid ' || a.pid),"
                    + " ', ') FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.relation = ?::regclass"
                    + " AND l.pid <> pg_backend_pid()", table.name().quoted());
            locked.add(table.name() + " on the " + database + " database is locked by " + (holder == null ? "another session"
                    : holder) + ": about " + table.estimatedRows() + " rows (estimate)");
            return table.estimatedRows();
        } finally {
            Sql.execute(c, Validator.LOCK_WAIT);
        }
    }
}
