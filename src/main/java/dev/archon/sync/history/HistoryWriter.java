package dev.archon.sync.history;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one run's row in a database's archon_sync_history through its own autocommit
 * connection, so every write is visible at once and survives a rollback of the data transaction.
 * A stalled history connection never holds the run up: progress and the backup path are written
 * on a background thread and dropped while an earlier write is still stuck; the outcome waits a
 * few seconds on that connection, then goes through a new one. Thread-safe (the progress ticker
 * and the run share it). The caller closes it.
 */
public final class HistoryWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HistoryWriter.class);
    /** How long the run waits for a write on the live connection before going around it. */
    static final long WAIT_MS = 3000;

    private final Database db;
    private final Connection connection;
    private final ExecutorService writes;
    private final AtomicBoolean writing = new AtomicBoolean();
    private volatile String syncId;

    private HistoryWriter(Database db, Connection connection) {
        this.db = db;
        this.connection = connection;
        this.writes = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "archon-sync history " + db.label());
            t.setDaemon(true);
            return t;
        });
    }

    public static HistoryWriter open(Database db) {
        return new HistoryWriter(db, db.open("archon-sync history"));
    }

    /** The connection (also used to hold the run's advisory lock and to read COPY progress). */
    public Connection connection() {
        return connection;
    }

    public String database() {
        return db.label();
    }

    /** Whether the database has the history table. */
    public synchronized boolean tableExists() throws SQLException {
        return Sql.queryBoolean(connection, "SELECT to_regclass('public.archon_sync_history') IS NOT NULL");
    }

    /** The sync id of a row still marked running, or null. */
    public synchronized String runningSyncId() throws SQLException {
        return Sql.queryString(connection, "SELECT sync_id FROM public.archon_sync_history WHERE status = 'running'"
                + " ORDER BY started_at DESC LIMIT 1");
    }

    /**
     * Settles the rows a dead process left behind. Only call while holding the advisory lock: then no
     * live run owns them. A row whose COMMIT was sent (metadata.target_xid, still {@code running} or
     * recorded with outcome unknown) gets the server's answer ({@code txid_status}): completed or
     * failed. Other {@code running} rows are marked failed.
     *
     * @return how many rows were settled
     */
    public synchronized int recoverStale() throws SQLException {
        return StaleRuns.settle(connection);
    }

    public synchronized void start(String id, String direction, String triggeredBy, String sourceDb, String targetDb,
                                   Instant startedAt, String metadataJson) throws SQLException {
        this.syncId = id;
        Sql.update(connection, "INSERT INTO public.archon_sync_history (sync_id, direction, status, started_at, current_phase,"
                + " percent_complete, triggered_by, source_db, target_db, metadata) VALUES (?, ?, 'running', ?, 'validation', 0,"
                + " ?, ?, ?, ?::jsonb)", id, direction, Timestamp.from(startedAt), triggeredBy, sourceDb, targetDb, metadataJson);
    }

    /**
     * Live progress with its detail (what the phase is doing, speed, time left; may be null) in
     * metadata.progress, written in the background (dropped while an earlier write is stuck);
     * percent never decreases.
     */
    public void progress(String phase, String table, long totalRows, long syncedRows, int percent, String detailJson) {
        inBackground(() -> Sql.update(connection, "UPDATE public.archon_sync_history SET current_phase = ?, current_table = ?,"
                + " total_rows = ?, synced_rows = ?, percent_complete = greatest(coalesce(percent_complete, 0), ?),"
                + " metadata = CASE WHEN ?::jsonb IS NULL THEN metadata"
                + " ELSE coalesce(metadata, '{}'::jsonb) || jsonb_build_object('progress', ?::jsonb) END WHERE sync_id = ?",
                phase, table, clamp(totalRows), clamp(syncedRows), Math.max(0, Math.min(100, percent)), detailJson, detailJson,
                syncId));
    }

    /** Sets the backup path as soon as the archive exists (in the background; the outcome repeats it). */
    public void backupFile(String path) {
        inBackground(() -> Sql.update(connection, "UPDATE public.archon_sync_history SET backup_file_path = ? WHERE sync_id = ?",
                path, syncId));
    }

    /**
     * Notes the target transaction's id in metadata.target_xid before its COMMIT, so that a later run
     * can settle the outcome if this process cannot (see {@link #recoverStale()}). Waits at most
     * {@link #WAIT_MS}; a failure is only logged.
     */
    public void transaction(long xid) {
        Future<?> f = inBackground(() -> Sql.update(connection, "UPDATE public.archon_sync_history SET metadata ="
                + " coalesce(metadata, '{}'::jsonb) || jsonb_build_object('target_xid', ?::bigint) WHERE sync_id = ?", xid, syncId));
        await(f, "the transaction id");
    }

    /**
     * Records the outcome: on the live connection if it answers within {@link #WAIT_MS}, otherwise
     * through one new connection.
     *
     * @throws SQLException when neither way reached the database
     */
    public void finish(HistoryOutcome o) throws SQLException {
        SqlWrite write = c -> Sql.update(c, "UPDATE public.archon_sync_history SET status = ?, completed_at = now(), duration_seconds = ?,"
                + " total_rows = coalesce(?, total_rows), synced_rows = coalesce(?, synced_rows), current_table = NULL,"
                + " percent_complete = CASE WHEN ? = 'completed' THEN 100 ELSE percent_complete END,"
                + " tables_synced = ?::jsonb, verification_results = ?::jsonb, error_message = ?, error_details = ?::jsonb,"
                + " export_size_mb = ?, export_duration_seconds = ?, import_duration_seconds = ?, indexing_duration_seconds = ?,"
                + " backup_file_path = coalesce(?, backup_file_path), metadata = (coalesce(metadata, '{}'::jsonb) - 'progress') || ?::jsonb"
                + " WHERE sync_id = ?",
                o.status(), o.durationSeconds(), o.totalRows() == null ? null : clamp(o.totalRows()),
                o.syncedRows() == null ? null : clamp(o.syncedRows()), o.status(), o.tablesJson(), o.verificationJson(),
                o.errorMessage(), o.errorDetailsJson(), o.exportSizeMb(), o.exportSeconds(), o.importSeconds(),
                o.indexingSeconds(), o.backupFile(), o.metadataJson(), syncId);
        Future<?> f = writes.submit(() -> {
            write.run(connection);
            return null;
        });
        if (await(f, "the outcome")) {
            return;
        }
        try (Connection fresh = db.openOnce("archon-sync history")) { // once: the run has ended, do not hold it up
            write.run(fresh);
        } catch (ArchonSyncException e) {
            throw new SQLException(e.getMessage(), "08006", e);
        }
    }

    /** Runs a write on the background thread unless one is still running; null when dropped. */
    private Future<?> inBackground(SqlAction action) {
        if (!writing.compareAndSet(false, true)) {
            log.debug("history write dropped: an earlier one is still waiting for the {} database", db.label());
            return null;
        }
        try {
            return writes.submit(() -> {
                try {
                    action.run();
                } catch (SQLException e) {
                    log.debug("history write failed", e);
                } finally {
                    writing.set(false);
                }
                return null;
            });
        } catch (RejectedExecutionException e) {
            writing.set(false);
            return null;
        }
    }

    /** Waits for a write; false (logged) when it failed or is still stuck after {@link #WAIT_MS}. */
    private boolean await(Future<?> f, String what) {
        if (f == null) {
            return false;
        }
        try {
            f.get(WAIT_MS, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            log.warn("the {} database's history connection did not answer within {} s while recording {}", db.label(),
                    WAIT_MS / 1000, what);
        } catch (ExecutionException e) {
            log.warn("could not record {} in the {} database's history: {}", what, db.label(),
                    ArchonSyncException.firstLine(e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    private interface SqlWrite {
        void run(Connection c) throws SQLException;
    }

    private static int clamp(long v) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, v));
    }

    /** Closes the connection; a write stuck on a silent link is aborted rather than waited for. */
    @Override
    public void close() {
        writes.shutdownNow();
        try {
            if (writing.get()) {
                connection.abort(Runnable::run);
            } else {
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing a broken connection: nothing more to record
        }
    }
}
