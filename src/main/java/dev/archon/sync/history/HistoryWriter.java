package dev.archon.sync.history;

import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Writes one run's row in a database's archon_sync_history through its own autocommit
 * connection, so every write is visible at once and survives a rollback of the data transaction.
 * Thread-safe (the progress ticker and the run share it). The caller closes it.
 */
public final class HistoryWriter implements AutoCloseable {
    private final Connection connection;
    private final String database;
    private String syncId;

    private HistoryWriter(Connection connection, String database) {
        this.connection = connection;
        this.database = database;
    }

    public static HistoryWriter open(Database db) {
        return new HistoryWriter(db.open("archon-sync history"), db.label());
    }

    /** The connection (also used to hold the run's advisory lock and to read COPY progress). */
    public Connection connection() {
        return connection;
    }

    public String database() {
        return database;
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
     * Marks rows left {@code running} by a process that died as failed. Only call while holding the
     * advisory lock: then no live run owns them.
     *
     * @return how many rows were recovered
     */
    public synchronized int recoverStale() throws SQLException {
        // Its outcome was never recorded: the row claims no table and no verification. Its backup path stays:
        // should the process have died between COMMIT and recording, that archive is the way back.
        return Sql.update(connection, "UPDATE public.archon_sync_history SET status = 'failed', completed_at = now(),"
                + " tables_synced = '[]'::jsonb, verification_results = '{\"performed\": false}'::jsonb,"
                + " duration_seconds = greatest(0, extract(epoch FROM now() - started_at))::int,"
                + " error_message = 'recovered by a later run: the process running this sync ended without recording an outcome',"
                + " error_details = coalesce(error_details, '{}'::jsonb) || jsonb_build_object('recovered', true)"
                + " WHERE status = 'running'");
    }

    public synchronized void start(String id, String direction, String triggeredBy, String sourceDb, String targetDb,
                                   Instant startedAt, String metadataJson) throws SQLException {
        this.syncId = id;
        Sql.update(connection, "INSERT INTO public.archon_sync_history (sync_id, direction, status, started_at, current_phase,"
                + " percent_complete, triggered_by, source_db, target_db, metadata) VALUES (?, ?, 'running', ?, 'validation', 0,"
                + " ?, ?, ?, ?::jsonb)", id, direction, Timestamp.from(startedAt), triggeredBy, sourceDb, targetDb, metadataJson);
    }

    /** Live progress; percent never decreases. */
    public synchronized void progress(String phase, String table, long totalRows, long syncedRows, int percent)
            throws SQLException {
        Sql.update(connection, "UPDATE public.archon_sync_history SET current_phase = ?, current_table = ?, total_rows = ?,"
                + " synced_rows = ?, percent_complete = greatest(coalesce(percent_complete, 0), ?) WHERE sync_id = ?",
                phase, table, clamp(totalRows), clamp(syncedRows), Math.max(0, Math.min(100, percent)), syncId);
    }

    /** Live progress with its detail (what the phase is doing, speed, time left) in metadata.progress. */
    public synchronized void progress(String phase, String table, long totalRows, long syncedRows, int percent,
                                      String detailJson) throws SQLException {
        Sql.update(connection, "UPDATE public.archon_sync_history SET current_phase = ?, current_table = ?, total_rows = ?,"
                + " synced_rows = ?, percent_complete = greatest(coalesce(percent_complete, 0), ?),"
                + " metadata = coalesce(metadata, '{}'::jsonb) || jsonb_build_object('progress', ?::jsonb) WHERE sync_id = ?",
                phase, table, clamp(totalRows), clamp(syncedRows), Math.max(0, Math.min(100, percent)), detailJson, syncId);
    }

    /** Sets the backup path as soon as the archive exists. */
    public synchronized void backupFile(String path) throws SQLException {
        Sql.update(connection, "UPDATE public.archon_sync_history SET backup_file_path = ? WHERE sync_id = ?", path, syncId);
    }

    /** Records the outcome. */
    public synchronized void finish(HistoryOutcome o) throws SQLException {
        Sql.update(connection, "UPDATE public.archon_sync_history SET status = ?, completed_at = now(), duration_seconds = ?,"
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
    }

    private static int clamp(long v) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, v));
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a broken connection: nothing more to record
        }
    }
}
