package dev.archon.sync.db;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.config.DatabaseConfig;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens connections to one configured database. Connection failures become one-line
 * {@link ErrorCode#CONNECTION_FAILED} errors that name the database and what to check, never the
 * password. Thread-safe; callers close what they open.
 */
public final class Database {
    /** Seconds to wait for a server to answer before calling it unreachable. */
    public static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final DatabaseConfig config;

    public Database(DatabaseConfig config) {
        this.config = config;
    }

    public DatabaseConfig config() {
        return config;
    }

    /** "local" or "remote". */
    public String label() {
        return config.role().label();
    }

    /**
     * Opens a new autocommit connection.
     *
     * @param purpose what the connection is for, shown in pg_stat_activity ("archon-sync data")
     */
    public Connection open(String purpose) {
        Properties props = config.connectionProperties();
        props.setProperty("connectTimeout", props.getProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS)));
        props.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("ApplicationName", purpose);
        props.setProperty("tcpKeepAlive", "true");
        try {
            return DriverManager.getConnection(config.jdbcUrl(), props);
        } catch (SQLException e) {
            throw connectionError(e);
        }
    }

    private ArchonSyncException connectionError(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String what = config.describe();
        String envHint = config.source();
        String message;
        if ("28P01".equals(state) || "28000".equals(state)) {
            message = "cannot log in to the " + what + ": the server rejected the user or password; check the credentials in "
                    + envHint + " (percent-encode special characters in the password)";
        } else if ("3D000".equals(state)) {
            message = "cannot connect to the " + what + ": database \"" + config.database() + "\" does not exist; check the database name in " + envHint;
        } else if (e.getMessage() != null && e.getMessage().contains("does not support SSL")) {
            message = "cannot connect to the " + what + ": the server does not support SSL, but sslmode requires it; enable SSL"
                    + " on the server, or set sslmode=prefer (or disable) in " + envHint + " if plain connections are acceptable";
        } else if (hasCause(e, UnknownHostException.class)) {
            message = "cannot reach the " + what + ": unknown host \"" + config.host() + "\"; check the host in " + envHint;
        } else if (hasCause(e, SocketTimeoutException.class) || e.getMessage() != null && e.getMessage().contains("timed out")) {
            message = "cannot reach the " + what + ": no answer within " + CONNECT_TIMEOUT_SECONDS
                    + " s; check the host and port in " + envHint + " and that a firewall lets you through";
        } else if (hasCause(e, ConnectException.class) || hasCause(e, NoRouteToHostException.class) || state.startsWith("08")) {
            message = "cannot reach the " + what + ": connection refused; check that the server is running and the host and port in "
                    + envHint;
        } else {
            message = "cannot connect to the " + what + ": " + ArchonSyncException.firstLine(e.getMessage());
        }
        return new ArchonSyncException(ErrorCode.CONNECTION_FAILED, message, e);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
