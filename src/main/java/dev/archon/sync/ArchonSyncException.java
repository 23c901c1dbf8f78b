package dev.archon.sync;

import java.sql.SQLException;
import java.util.List;

/**
 * The one exception type of archon-sync. Its message is one readable line for the user (what is
 * wrong and how to fix it) and never contains a password; {@link #code()} maps to the exit code
 * and the HTTP status; {@link #details()} carries extra lines (for example every missing column).
 */
public class ArchonSyncException extends RuntimeException {
    private final ErrorCode code;
    private final List<String> details;
    private final String sqlState;

    public ArchonSyncException(ErrorCode code, String message) {
        this(code, message, List.of(), null);
    }

    public ArchonSyncException(ErrorCode code, String message, Throwable cause) {
        this(code, message, List.of(), cause);
    }

    public ArchonSyncException(ErrorCode code, String message, List<String> details, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.details = List.copyOf(details);
        this.sqlState = cause instanceof SQLException sql ? sql.getSQLState() : null;
    }

    public ErrorCode code() {
        return code;
    }

    /** Further lines that explain the message; never null. */
    public List<String> details() {
        return details;
    }

    /** The SQLSTATE of the underlying database error, or null. */
    public String sqlState() {
        return sqlState;
    }

    /** Wraps a database error that happened while doing {@code what} ("could not copy public.x"). */
    public static ArchonSyncException database(ErrorCode code, String what, SQLException e) {
        return new ArchonSyncException(code, what + ": " + firstLine(e.getMessage()), e);
    }

    /** The first line of a message, trimmed; PostgreSQL messages carry detail lines after it. */
    public static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
