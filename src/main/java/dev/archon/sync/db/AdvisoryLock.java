package dev.archon.sync.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The session-level advisory lock that marks "a sync is running on this database". Held on a
 * connection for the whole run; released when the connection closes, also when the process dies,
 * so a crashed run never blocks later ones.
 */
public final class AdvisoryLock {
    /** Key of the lock: a constant no other application is likely to use. */
    static final long KEY = 0x4172_6368_5379_6e63L; // "ArchSync"

    /**
     * How long a lock may still be seen after the run holding it ended: the server ends a session a
     * moment after its client closed it (longer on a loaded server), and until then the lock stands.
     * Saying "another sync is running" in that moment would be false.
     */
    static final long SETTLE_MS = 2000;

    private AdvisoryLock() {
    }

    /**
     * Takes the lock on {@code c} if free, or once the session holding it ends within {@link
     * #SETTLE_MS}; false when another session still holds it then.
     */
    public static boolean tryLock(Connection c) throws SQLException {
        return within(() -> Sql.queryBoolean(c, "SELECT pg_try_advisory_lock(?)", KEY));
    }

    public static void unlock(Connection c) throws SQLException {
        Sql.queryBoolean(c, "SELECT pg_advisory_unlock(?)", KEY);
    }

    /** Whether any session holds the lock on this database (and still does after {@link #SETTLE_MS}). */
    public static boolean held(Connection c) throws SQLException {
        return !within(() -> !heldNow(c));
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws SQLException;
    }

    /** Whether {@code check} passes within {@link #SETTLE_MS} (asked every 50 ms; false when interrupted). */
    private static boolean within(Check check) throws SQLException {
        long deadline = System.nanoTime() + SETTLE_MS * 1_000_000;
        while (!check.ok()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static boolean heldNow(Connection c) throws SQLException {
        return Sql.queryBoolean(c, "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database ="
                + " (SELECT oid FROM pg_database WHERE datname = current_database()) AND granted"
                + " AND ((classid::bigint << 32) | objid::bigint) = ?)", KEY);
    }
}
