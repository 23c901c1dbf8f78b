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

    private AdvisoryLock() {
    }

    /** Takes the lock on {@code c} if free; false when another session holds it. */
    public static boolean tryLock(Connection c) throws SQLException {
        return Sql.queryBoolean(c, "SELECT pg_try_advisory_lock(?)", KEY);
    }

    public static void unlock(Connection c) throws SQLException {
        Sql.queryBoolean(c, "SELECT pg_advisory_unlock(?)", KEY);
    }

    /** Whether any session holds the lock on this database. */
    public static boolean held(Connection c) throws SQLException {
        return Sql.queryBoolean(c, "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database ="
                + " (SELECT oid FROM pg_database WHERE datname = current_database()) AND granted"
                + " AND ((classid::bigint << 32) | objid::bigint) = ?)", KEY);
    }
}
