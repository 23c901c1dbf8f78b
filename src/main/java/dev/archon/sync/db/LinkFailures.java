package dev.archon.sync.db;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * SQLSTATE- and cause-based classification of connection failures: a silent link, failures worth
 * retrying (class 08, 57P0x, refused, reset, DNS), and permanent ones (class 28, 3D000), in the
 * spirit of Debezium's retry classification.
 */
public final class LinkFailures {
    private LinkFailures() {
    }

    /** The silent-link error somewhere in the causes, or null. */
    public static SilentLinkException silentLink(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SilentLinkException s) {
                return s;
            }
        }
        return null;
    }

    /** Whether the error says the connection itself broke (class 08 or 57P0x: the server went away). */
    public static boolean connectionLost(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("08") || state.startsWith("57P0");
    }

    /**
     * Whether failing to open a connection may succeed on a second try: refused, reset, unknown
     * host (DNS), class 08 or 57P0x (the server is starting or shutting down). Never class 28 (a
     * rejected login), 3D000 (no such database) nor a connect timeout (already waited long enough).
     */
    public static boolean retriable(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("28") || "3D000".equals(state) || has(e, java.net.SocketTimeoutException.class)) {
            return false;
        }
        return connectionLost(e) || has(e, ConnectException.class) || has(e, NoRouteToHostException.class)
                || has(e, UnknownHostException.class) || resetBy(e);
    }

    private static boolean resetBy(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SocketException && c.getMessage() != null && c.getMessage().contains("reset")) {
                return true;
            }
        }
        return false;
    }

    static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
