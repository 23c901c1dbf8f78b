package dev.archon.sync.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Identifier quoting and small JDBC helpers. */
public final class Sql {
    private Sql() {
    }

    /** Quotes an identifier the way PostgreSQL's quote_ident does, always. */
    public static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** schema.table, both quoted. */
    public static String qualified(String schema, String table) {
        return ident(schema) + "." + ident(table);
    }

    /** Quotes a string literal. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    public static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * For the rest of the transaction, or until {@link #allJoins}: joins are hash joins. A table
     * without statistics (a temporary table just loaded, a base never analyzed) looks like a few
     * rows to the planner, whose nested loop then scans the other side once per row, and whose
     * merge join sorts both sides (text arrays, by collation: slow).
     */
    public static void hashJoinsOnly(Connection c) throws SQLException {
        execute(c, "SET LOCAL enable_nestloop = off; SET LOCAL enable_mergejoin = off");
    }

    /** Undoes {@link #hashJoinsOnly}. */
    public static void allJoins(Connection c) throws SQLException {
        execute(c, "SET LOCAL enable_nestloop = on; SET LOCAL enable_mergejoin = on");
    }

    /** The first column of the first row, or null when there is no row. */
    public static String queryString(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    public static long queryLong(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
        }
    }

    public static boolean queryBoolean(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** The first column of every row. */
    public static List<String> queryStrings(Connection c, String sql, Object... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    public static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    /** Work done in one transaction by {@link #inTransaction}. */
    public interface Work<E extends Exception> {
        void run() throws SQLException, E;
    }

    /** Runs {@code work} in one transaction on {@code c}: COMMIT, or ROLLBACK on any failure; autocommit restored. */
    public static <E extends Exception> void inTransaction(Connection c, Work<E> work) throws SQLException, E {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (Throwable t) {
            c.rollback();
            throw t;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
