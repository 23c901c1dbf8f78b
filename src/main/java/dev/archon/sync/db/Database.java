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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens connections to one configured database. Every connection gives a silent link up within the
 * {@link LinkTimeout} (keepalives and TCP_USER_TIMEOUT on both ends, see {@link LinkSocket}).
 * Opening retries transient failures (refused, reset, DNS, SQLSTATE 08/57P0x) a few times with a
 * backoff, saying so in a warning; a rejected login or a missing database fails at once. Failures
 * become one-line {@link ErrorCode#CONNECTION_FAILED} errors that name the database and what to
 * check, never the password. Thread-safe; callers close what they open.
 */
public final class Database {
    /** Seconds to wait for a server to answer before calling it unreachable. */
    public static final int CONNECT_TIMEOUT_SECONDS = 10;
    /** Attempts to open a connection when the failure is transient. */
    public static final int OPEN_ATTEMPTS = 3;
    /** Wait before the first retry; doubled before each further one. */
    static final long FIRST_BACKOFF_MS = 1000;
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final DatabaseConfig config;
    private final LinkTimeout linkTimeout;

    /** A database with the default link timeout. */
    public Database(DatabaseConfig config) {
        this(config, LinkTimeout.DEFAULT);
    }

    public Database(DatabaseConfig config, LinkTimeout linkTimeout) {
        this.config = config;
        this.linkTimeout = linkTimeout;
    }

    public DatabaseConfig config() {
        return config;
    }

    public LinkTimeout linkTimeout() {
        return linkTimeout;
    }

    /** "local" or "remote". */
    public String label() {
        return config.role().label();
    }

    /**
     * Opens a new autocommit connection, retrying transient failures.
     *
     * @param purpose what the connection is for, shown in pg_stat_activity ("archon-sync data")
     */
    public Connection open(String purpose) {
        for (int attempt = 1; ; attempt++) {
            try {
                return connect(purpose);
            } catch (SQLException e) {
                if (attempt >= OPEN_ATTEMPTS || !LinkFailures.retriable(e)) {
                    ArchonSyncException error = connectionError(e);
                    if (attempt > 1) {
                        error = new ArchonSyncException(error.code(), error.getMessage() + " (tried " + attempt + " times)", e);
                    }
                    throw error;
                }
                long wait = FIRST_BACKOFF_MS << (attempt - 1);
                log.warn("{}; retrying in {} s (attempt {} of {})", connectionError(e).getMessage(), wait / 1000.0, attempt + 1,
                        OPEN_ATTEMPTS);
                sleep(wait);
            }
        }
    }

    /** Opens a connection once, without retrying (health checks, which report latency). */
    public Connection openOnce(String purpose) {
        try {
            return connect(purpose);
        } catch (SQLException e) {
            throw connectionError(e);
        }
    }

    private Connection connect(String purpose) throws SQLException {
        Properties props = config.connectionProperties();
        props.setProperty("connectTimeout", props.getProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS)));
        props.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("ApplicationName", purpose);
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("socketFactory", LinkSocketFactory.class.getName());
        props.setProperty("socketFactoryArg", LinkSocketFactory.argument(label(), linkTimeout));
        Connection c = DriverManager.getConnection(config.jdbcUrl(), props);
        try {
            Sql.execute(c, linkTimeout.serverSettings(c.getMetaData().getDatabaseMajorVersion()));
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArchonSyncException(ErrorCode.CANCELLED, "interrupted while waiting to reconnect");
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
