package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.AdvisoryLock;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.LinkFailures;
import dev.archon.sync.db.SilentLinkException;
import dev.archon.sync.history.HistoryWriter;
import dev.archon.sync.backup.BackupManifest;
import dev.archon.sync.backup.BackupReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.sql.SQLException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one facade of archon-sync: the CLI and the HTTP server both drive it. Thread-safe; each
 * call opens and closes its own connections.
 */
public final class SyncEngine {
    private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

    private final Database local;
    private final Database remote;

    public SyncEngine(Database local, Database remote) {
        this.local = local;
        this.remote = remote;
    }

    public Database database(DatabaseRole role) {
        return role == DatabaseRole.LOCAL ? local : remote;
    }

    /** Validation only: reads both databases, writes nothing. */
    public Preflight preflight(SyncRequest request) {
        if (request.direction() == Direction.BIDIRECTIONAL) {
            return Validator.validate(local, remote, request, true);
        }
        return Validator.validate(database(request.direction().source()), database(request.direction().target()), request, true);
    }

    /**
     * A read-only preview of a one-way changes-only sync: validation, then both sides hashed and
     * compared; nothing is written to either database, history included.
     *
     * @param examples up to this many example keys per kind and table (0 for counts only)
     * @throws ArchonSyncException REFUSED when validation refuses, CONNECTION_FAILED, TRANSFER_FAILED
     */
    public DiffReport diff(SyncRequest request, int examples) {
        return diff(request, preflight(request.withDryRun(true)), examples);
    }

    /** {@link #diff(SyncRequest, int)} after a validation already made ({@code p} must be its result). */
    public DiffReport diff(SyncRequest request, Preflight p, int examples) {
        if (request.direction() == Direction.BIDIRECTIONAL) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "a bidirectional diff is a merge preview: use merge()"
                    + " with a dry-run request");
        }
        refuseUnlessOk(p);
        try {
            return Differ.diff(database(request.direction().source()), database(request.direction().target()), p, examples, null);
        } catch (SQLException e) {
            throw ArchonSyncException.database(ErrorCode.TRANSFER_FAILED, "the comparison failed", e);
        } catch (java.io.IOException e) {
            throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, "the comparison failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a sync (or, with {@code dryRun}, only its validation). Blocking.
     *
     * @return the outcome; a run that started and failed returns a result with a non-zero exit code
     *         (its history row says why)
     * @throws ArchonSyncException before anything is written: CONNECTION_FAILED, REFUSED (validation,
     *         {@link SyncBusyException}), INVALID_ARGUMENTS
     */
    public SyncResult sync(SyncRequest request, SyncControl control, SyncListener listener) {
        if (request.direction() == Direction.BIDIRECTIONAL) {
            return merge(request, MergeOptions.DEFAULT, control, listener);
        }
        Database source = database(request.direction().source());
        Database target = database(request.direction().target());
        if (request.dryRun()) {
            Preflight p = preflight(request);
            refuseUnlessOk(p);
            return SyncRunner.dryRunResult(control.syncId(), p);
        }
        MDC.put("sync_id", control.syncId());
        try (QuietlyClosed sourceLock = new QuietlyClosed(openOrRecord(source, target, control, request));
             HistoryWriter history = HistoryWriter.open(target)) {
            lock(sourceLock.connection(), source, null);
            lock(history.connection(), target, history);
            recoverStale(history);
            Preflight plan = Validator.validate(source, target, request, false);
            refuseUnlessOk(plan);
            RunWork work;
            RunWork.Description description;
            // A first copy (every target table empty) has nothing to compare: the full sync is the faster path.
            boolean firstCopy = request.mode() == SyncMode.AUTO && plan.tables().stream().allMatch(t -> t.targetRows() == 0);
            if (request.mode() == SyncMode.FULL || firstCopy) {
                FullSync full = new FullSync(source, target, request, plan);
                work = full;
                description = full.description();
            } else {
                ChangesSync changes = new ChangesSync(source, target, request, plan);
                work = changes;
                description = changes.description();
            }
            return new SyncRunner(work, description, source.label(), target, request, control, listener, history)
                    .alsoRecordOn(source).run(Instant.now());
        } catch (SQLException e) {
            throw prepareFailed("the sync", e);
        } finally {
            MDC.remove("sync_id");
        }
    }

    /**
     * Runs a bidirectional sync: a three-way merge of both databases against their base (or, with
     * {@code dryRun}, only the validation). Blocking. Conflicts no policy resolves end the run with
     * exit code 7 (CONFLICTS) and nothing written; they are listed in the result's metrics
     * ("conflicts") and in both histories.
     *
     * @throws ArchonSyncException before anything is written: CONNECTION_FAILED, REFUSED (validation,
     *         {@link SyncBusyException}), INVALID_ARGUMENTS
     */
    public SyncResult merge(SyncRequest request, MergeOptions options, SyncControl control, SyncListener listener) {
        if (request.dryRun()) {
            return mergePreview(request, options, control, listener);
        }
        MDC.put("sync_id", control.syncId());
        try (HistoryWriter localHistory = HistoryWriter.open(local); HistoryWriter remoteHistory = HistoryWriter.open(remote)) {
            lock(localHistory.connection(), local, localHistory);
            lock(remoteHistory.connection(), remote, remoteHistory);
            recoverStale(localHistory);
            recoverStale(remoteHistory);
            Preflight plan = Validator.validate(local, remote, request, false);
            refuseUnlessOk(plan);
            refuseKeyless(plan);
            BidirectionalSync work = new BidirectionalSync(local, remote, request, options, plan, false);
            return new SyncRunner(work, work.description(), local.label(), remote, request, control, listener, remoteHistory)
                    .alsoRecordOn(local).run(Instant.now());
        } catch (SQLException e) {
            throw prepareFailed("the bidirectional sync", e);
        } finally {
            MDC.remove("sync_id");
        }
    }

    /** The merge's plan without writing anything: per table and side the rows to carry, the conflicts listed. */
    private SyncResult mergePreview(SyncRequest request, MergeOptions options, SyncControl control, SyncListener listener) {
        Preflight p = Validator.validate(local, remote, request, true);
        refuseUnlessOk(p);
        refuseKeyless(p);
        BidirectionalSync work = new BidirectionalSync(local, remote, request, options, p, true);
        try (ProgressTracker progress = new ProgressTracker(null, listener, control.syncId())) {
            RunContext run = new RunContext(control, null, progress);
            work.apply(run);
            Map<String, Object> metrics = new java.util.LinkedHashMap<>(SyncRunner.dryRunResult(control.syncId(), p).metrics());
            metrics.putAll(run.metrics);
            return new SyncResult(control.syncId(), Direction.BIDIRECTIONAL, "dry-run", 0, null, List.of(), List.of(), null, metrics);
        } catch (SQLException | java.io.IOException e) {
            throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, "could not compare the two databases: "
                    + ArchonSyncException.firstLine(String.valueOf(e.getMessage())), e);
        }
    }

    private static void refuseKeyless(Preflight plan) {
        List<String> keyless = plan.tables().stream().filter(t -> t.source().key().isEmpty() || t.target().key().isEmpty())
                .map(TablePlan::name).toList();
        if (!keyless.isEmpty()) {
            throw new ArchonSyncException(ErrorCode.REFUSED, "a bidirectional sync needs a primary key (or a unique NOT"
                    + " NULL key) to tell rows apart; " + String.join(", ", keyless) + " has none: leave it out with --exclude");
        }
    }

    /**
     * Restores a backup archive into {@code into}, in one transaction, taking a backup of the current
     * content first (unless {@code options.backup()} is false); recorded in the history like a sync.
     *
     * @param options backup directory, retention, lock timeout, triggered_by (its direction is ignored)
     * @throws ArchonSyncException INVALID_ARGUMENTS (not an archive), VERIFICATION_FAILED (damaged),
     *         REFUSED (tables missing on the target, another sync running), CONNECTION_FAILED
     */
    public SyncResult restore(Path file, DatabaseRole into, SyncRequest options, SyncControl control, SyncListener listener) {
        return restore(file, into, options, control, listener, "restore", Map.of());
    }

    /**
     * Undoes a completed run by restoring the backup it took. Refuses (REFUSED) when the run has no
     * backup, or when the target changed since the run (its tables no longer match what the run
     * left), unless {@code force}.
     */
    public SyncResult undo(String syncId, boolean force, SyncRequest options, SyncControl control, SyncListener listener) {
        Undo.Target found = Undo.find(local, remote, syncId);
        if (!force) {
            Undo.refuseIfChanged(database(found.role()), found);
        }
        return restore(found.backupFile(), found.role(), options, control, listener, "undo", Map.of("undone_sync_id", syncId,
                "forced", force));
    }

    /** The database a recorded run wrote to (its target_db). */
    public DatabaseRole targetOf(String syncId) {
        return Undo.find(local, remote, syncId).role();
    }

    /** {@link #undo(String, boolean, SyncRequest, SyncControl, SyncListener)} with the default options. */
    public SyncResult undo(String syncId, boolean force, String triggeredBy, SyncControl control, SyncListener listener) {
        DatabaseRole role = Undo.find(local, remote, syncId).role();
        return undo(syncId, force, SyncRequest.of(Direction.into(role)).withTriggeredBy(triggeredBy), control, listener);
    }

    private SyncResult restore(Path file, DatabaseRole into, SyncRequest options, SyncControl control, SyncListener listener,
                               String operation, Map<String, Object> metadata) {
        Database target = database(into);
        BackupManifest manifest;
        try (BackupReader reader = BackupReader.open(file)) {
            manifest = reader.manifest();
        }
        MDC.put("sync_id", control.syncId());
        try (HistoryWriter history = HistoryWriter.open(target)) {
            lock(history.connection(), target, history);
            if (!history.tableExists()) {
                throw new ArchonSyncException(ErrorCode.REFUSED, "archon_sync_history is missing on the " + target.label()
                        + " database: run archon-sync migrate");
            }
            recoverStale(history);
            try (Connection c = target.open("archon-sync validation")) {
                Restore.tables(c, manifest);
            }
            Restore work = new Restore(target, file, manifest, options, operation, metadata);
            return new SyncRunner(work, work.description(), manifest.database(), target, options, control, listener, history)
                    .run(Instant.now());
        } catch (SQLException e) {
            throw prepareFailed("the " + operation, e);
        } finally {
            MDC.remove("sync_id");
        }
    }

    /** The source's lock connection: closing it never throws (a link gone silent must not replace the run's result). */
    private record QuietlyClosed(Connection connection) implements AutoCloseable {
        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing the lock connection failed (the session ends with it anyway)", e);
            }
        }
    }

    /** A failure before the run started (locks, stale rows): a silent link is said as such (exit 3), else CONNECTION_FAILED. */
    private static ArchonSyncException prepareFailed(String what, SQLException e) {
        SilentLinkException silent = LinkFailures.silentLink(e);
        if (silent != null) {
            return new ArchonSyncException(ErrorCode.TRANSFER_FAILED, silent.getMessage() + " while preparing " + what
                    + "; nothing was changed", e);
        }
        return ArchonSyncException.database(ErrorCode.CONNECTION_FAILED, "could not prepare " + what, e);
    }

    private static void refuseUnlessOk(Preflight p) {
        if (!p.ok()) {
            java.util.List<String> lines = new java.util.ArrayList<>();
            for (CheckResult c : p.errors()) {
                lines.add(c.name() + ": " + c.message());
                c.details().forEach(d -> lines.add("  - " + d));
            }
            throw new ArchonSyncException(ErrorCode.REFUSED, "refused by validation (nothing was changed): "
                    + p.errors().get(0).message(), lines, null);
        }
    }

    /** Opens the source's lock connection; when the target is unreachable, records that on the source. */
    private static Connection openOrRecord(Database source, Database target, SyncControl control, SyncRequest request) {
        Connection c = source.open("archon-sync lock");
        try {
            target.open("archon-sync probe").close();
        } catch (ArchonSyncException e) {
            SyncRunner.recordUnreachable(source, control.syncId(), request, e.getMessage());
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing: nothing to keep
            }
            throw e;
        } catch (SQLException ignored) {
            // the probe connected; closing it failed: irrelevant
        }
        return c;
    }

    private static void lock(Connection c, Database db, HistoryWriter history) throws SQLException {
        if (!AdvisoryLock.tryLock(c)) {
            String running = null;
            try (HistoryWriter h = history != null ? null : HistoryWriter.open(db)) {
                HistoryWriter reader = history != null ? history : h;
                if (reader.tableExists()) {
                    running = reader.runningSyncId();
                }
            }
            throw new SyncBusyException(db.label(), running);
        }
    }

    private static void recoverStale(HistoryWriter history) throws SQLException {
        if (history.tableExists()) {
            int n = history.recoverStale();
            if (n > 0) {
                log.warn("marked {} stale 'running' history row(s) on the {} database as failed", n, history.database());
            }
        }
    }
}
