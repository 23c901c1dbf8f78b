package dev.archon.sync.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Fixed session settings for every connection that reads or writes synced data, so that both
 * servers print values the same way (checksums compare text) and no server-side timeout cuts a
 * long sync short.
 */
public final class SessionSettings {
    private static final String SETTINGS = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';"
            + " SET extra_float_digits = 3; SET bytea_output = 'hex'; SET statement_timeout = 0;"
            + " SET idle_in_transaction_session_timeout = 0; SET search_path = pg_catalog, public";

    private SessionSettings() {
    }

    public static void apply(Connection c) throws SQLException {
        Sql.execute(c, SETTINGS);
    }

    /** The server's major version number (15, 17, ...). */
    public static int majorVersion(Connection c) throws SQLException {
        return (int) (Sql.queryLong(c, "SELECT current_setting('server_version_num')::int") / 10000);
    }

    /** The server's version as it prints it ("15.14"). */
    public static String version(Connection c) throws SQLException {
        return Sql.queryString(c, "SELECT split_part(current_setting('server_version'), ' ', 1)");
    }
}
