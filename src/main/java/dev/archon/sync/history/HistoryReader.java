package dev.archon.sync.history;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads archon_sync_history from both databases and merges it: each run's row lives in its
 * target's table, so the whole history is the union of the two. A database that cannot be reached
 * or has no history table is skipped and named in the result's warnings, never fatal.
 *
 * <p>Rows are maps of column name (snake_case) to value: jsonb columns as Jackson trees,
 * timestamps as UTC {@link java.time.OffsetDateTime}s, numerics as {@link BigDecimal}, plus a
 * {@code database} entry ("local" or "remote"). Each call opens and closes its own connections;
 * thread-safe.
 */
public final class HistoryReader {
    private static final Logger log = LoggerFactory.getLogger(HistoryReader.class);
    private static final String PURPOSE = "archon-sync history";

    private final List<Database> databases;

    public HistoryReader(Database local, Database remote) {
        this.databases = List.of(local, remote);
    }

    /** One page of the rows matching the filter, in its order (newest first by default), and the total count. */
    public HistoryPage list(HistoryFilter filter) {
        List<String> warnings = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        long total = 0;
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        String textCollation = List.of("status", "direction", "triggered_by").contains(filter.sort()) ? " COLLATE \"C\"" : "";
        String sql = "SELECT * FROM archon_sync_history" + where + " ORDER BY " + Sql.ident(filter.sort()) + textCollation
                + (filter.ascending() ? " ASC" : " DESC") + " NULLS LAST, started_at DESC, sync_id COLLATE \"C\" LIMIT "
                + ((long) filter.offset() + filter.limit());
        for (Database db : databases) {
            Long count = read(db, warnings, c -> {
                try (PreparedStatement ps = Sql.prepare(c, sql, args.toArray()); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(HistoryRows.read(rs, db.label()));
                    }
                }
                return Sql.queryLong(c, "SELECT count(*) FROM archon_sync_history" + where, args.toArray());
            });
            total += count == null ? 0 : count;
        }
        rows.sort(HistoryRows.order(filter.sort(), filter.ascending()));
        List<Map<String, Object>> page = rows.stream().skip(filter.offset()).limit(filter.limit()).toList();
        return new HistoryPage(total, page, warnings);
    }

    /**
     * The row of one run, from whichever database holds it (its target's, when both do), or empty
     * when neither does or neither could be read.
     */
    public Optional<Map<String, Object>> find(String syncId) {
        List<String> warnings = new ArrayList<>();
        Map<String, Object> found = null;
        for (Database db : databases) {
            Map<String, Object> row = read(db, warnings, c -> {
                try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM archon_sync_history WHERE sync_id = ?", syncId);
                     ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? HistoryRows.read(rs, db.label()) : null;
                }
            });
            if (row != null && (found == null || db.label().equals(row.get("target_db")))) {
                found = row;
            }
        }
        warnings.forEach(w -> log.debug("finding {}: {}", syncId, w));
        return Optional.ofNullable(found);
    }

    /**
     * get_sync_stats(days)'s figures over both databases, each run counted once, and only syncs: the
     * restore and undo runs (which get_sync_stats would count as syncs) are counted apart, in
     * restoreRuns and rowsRestored.
     */
    public HistoryStats stats(int days) {
        if (days < 1 || days > 3650) {
            throw new ArchonSyncException(dev.archon.sync.ErrorCode.INVALID_ARGUMENTS,
                    "days must be between 1 and 3650, got " + days);
        }
        List<String> warnings = new ArrayList<>();
        long total = 0, ok = 0, failed = 0, rows = 0, l2r = 0, r2l = 0, timed = 0, restores = 0, restored = 0;
        BigDecimal durationSum = BigDecimal.ZERO;
        for (Database db : databases) {
            long[] s = read(db, warnings, c -> {
                // get_sync_stats's figures, computed here so that a run recorded on both databases counts once.
                long[] out = new long[10];
                try (PreparedStatement ps = Sql.prepare(c, "SELECT count(*), count(*) FILTER (WHERE status = 'completed'),"
                        + " count(*) FILTER (WHERE status = 'failed'), coalesce(round(avg(duration_seconds), 2), 0),"
                        + " coalesce(sum(synced_rows), 0), count(*) FILTER (WHERE direction = 'local-to-remote'),"
                        + " count(*) FILTER (WHERE direction = 'remote-to-local'), count(duration_seconds)"
                        + " FROM archon_sync_history WHERE started_at > now() - make_interval(days => ?) AND " + NOT_A_COPY
                        + " AND " + NOT_A_RESTORE, days);
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out[0] = rs.getLong(1);
                    out[1] = rs.getLong(2);
                    out[2] = rs.getLong(3);
                    out[3] = rs.getBigDecimal(4).movePointRight(2).longValue();
                    out[4] = rs.getLong(5);
                    out[5] = rs.getLong(6);
                    out[6] = rs.getLong(7);
                    out[7] = rs.getLong(8);
                }
                // The restore and undo runs, counted apart.
                try (PreparedStatement ps = Sql.prepare(c, "SELECT count(*), coalesce(sum(synced_rows), 0) FROM archon_sync_history"
                        + " WHERE started_at > now() - make_interval(days => ?) AND " + NOT_A_COPY + " AND NOT " + NOT_A_RESTORE, days);
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out[8] = rs.getLong(1);
                    out[9] = rs.getLong(2);
                }
                return out;
            });
            if (s == null) {
                continue;
            }
            total += s[0];
            ok += s[1];
            failed += s[2];
            durationSum = durationSum.add(BigDecimal.valueOf(s[3], 2).multiply(BigDecimal.valueOf(s[7])));
            rows += s[4];
            l2r += s[5];
            r2l += s[6];
            timed += s[7];
            restores += s[8];
            restored += s[9];
        }
        Double rate = total == 0 ? null : BigDecimal.valueOf(ok * 100.0 / total).setScale(1, RoundingMode.HALF_UP).doubleValue();
        Double avg = timed == 0 ? null : durationSum.divide(BigDecimal.valueOf(timed), 2, RoundingMode.HALF_UP).doubleValue();
        return new HistoryStats(days, total, ok, failed, rate, avg, rows, l2r, r2l, restores, restored, warnings);
    }

    /** The source's copy of a run's row (see the engine's SyncRunner) is not listed: the target's row is. */
    static final String NOT_A_COPY = "(metadata ->> 'copy_of') IS NULL";
    /** A sync, not a restore or an undo (rows of older versions say "full-sync" or nothing). */
    static final String NOT_A_RESTORE = "coalesce(metadata ->> 'operation', 'sync') NOT IN ('restore', 'undo')";

    private static String where(HistoryFilter filter, List<Object> args) {
        List<String> terms = new ArrayList<>();
        terms.add(NOT_A_COPY);
        if (filter.status() != null) {
            terms.add("status = ?");
            args.add(filter.status());
        }
        if (filter.direction() != null) {
            terms.add("direction = ?");
            args.add(filter.direction());
        }
        if (filter.search() != null) {
            String pattern = "%" + filter.search().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            terms.add("(sync_id ILIKE ? OR triggered_by ILIKE ? OR error_message ILIKE ?)");
            args.add(pattern);
            args.add(pattern);
            args.add(pattern);
        }
        return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
    }

    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs the query on db, or records why it could not and returns null. */
    private static <T> T read(Database db, List<String> warnings, Query<T> query) {
        try (Connection c = db.open(PURPOSE)) {
            return query.run(c);
        } catch (ArchonSyncException e) {
            warnings.add("the " + db.label() + " database was skipped: " + e.getMessage());
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            warnings.add("the " + db.label() + " database was skipped: " + switch (state) {
                case "42P01", "42883" -> "it has no archon_sync_history table (run archon-sync migrate)";
                default -> ArchonSyncException.firstLine(e.getMessage());
            });
        }
        return null;
    }
}
