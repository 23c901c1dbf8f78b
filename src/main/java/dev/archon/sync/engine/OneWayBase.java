package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.LinkFailures;
import dev.archon.sync.delta.KeyedTable;
import dev.archon.sync.history.BaseStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The base a completed one-way sync establishes: after its commit both databases hold the source
 * snapshot, so that content becomes the base of the next bidirectional run. The target's rows are
 * hashed inside the run's transaction just before COMMIT (the content it commits, under its lock;
 * never newer than either side: the source may only have moved on since its snapshot), with the
 * same key and hash form a merge uses; after COMMIT the base is written on both databases with
 * {@link SyncBase}. Best effort throughout: nothing here fails the run. Deletes its files on close.
 */
final class OneWayBase implements AutoCloseable {
    private final List<HashFile> files = new ArrayList<>();
    private final List<SyncBase.Table> tables = new ArrayList<>();
    private String pairId;

    /**
     * Hashes the target's tables in its open transaction (a savepoint keeps a failure from aborting it).
     *
     * @throws SQLException only when a connection itself is lost (a silent link, a reset): then the run
     *         cannot commit, and must fail saying why rather than send its COMMIT into a dead connection
     */
    static OneWayBase capture(Connection snapshot, Connection tgt, Database source, Database target, List<TablePlan> plan,
                              RunContext run) throws SQLException {
        OneWayBase base = new OneWayBase();
        Savepoint sp = null;
        try {
            if (!BaseStore.installed(snapshot) || !BaseStore.installed(tgt)) {
                base.skip(source, target, "the base tables are missing (archon-sync migrate has not run)", run);
                return base;
            }
            String s = BaseStore.identity(snapshot, source.label());
            String t = BaseStore.identity(tgt, target.label());
            base.pairId = source.config().role() == DatabaseRole.LOCAL ? BaseStore.pairId(s, t) : BaseStore.pairId(t, s);
            long start = System.nanoTime();
            sp = tgt.setSavepoint();
            for (TablePlan p : plan) {
                if (p.source().key().isEmpty() || p.target().key().isEmpty()) {
                    continue; // a bidirectional run refuses keyless tables: nothing to base
                }
                KeyedTable keyed = new KeyedTable(p.source(), p.binary());
                HashFile f = HashFile.capture(tgt, keyed);
                base.files.add(f);
                base.tables.add(new SyncBase.Table(p.name(), keyed.keyColumns().size(), f::open));
            }
            tgt.releaseSavepoint(sp);
            run.metrics.put("base_hash_seconds", FullSync.round(FullSync.seconds(start)));
        } catch (SQLException | IOException | RuntimeException e) {
            base.close();
            if (LinkFailures.silentLink(e) != null || e instanceof SQLException lost && LinkFailures.connectionLost(lost)) {
                throw e instanceof SQLException sql ? sql : new SQLException(e.getMessage(), "08006", e);
            }
            rollbackTo(tgt, sp);
            base.tables.clear();
            base.skip(source, target, ArchonSyncException.firstLine(String.valueOf(e.getMessage())), run);
        }
        return base;
    }

    private void skip(Database source, Database target, String why, RunContext run) {
        pairId = null;
        SyncBase.notWritten(source.label(), why, run);
        SyncBase.notWritten(target.label(), why, run);
    }

    private static void rollbackTo(Connection tgt, Savepoint sp) {
        try {
            if (sp != null) {
                tgt.rollback(sp);
            }
        } catch (SQLException ignored) {
            // the transaction is lost anyway: its COMMIT fails and the run with it
        }
    }

    /** After COMMIT: the base on the target (its connection, autocommit off), then on the source. */
    void write(Connection tgt, Database source, Database target, RunContext run) {
        if (pairId == null) {
            return;
        }
        SyncBase.write(tgt, target.label(), pairId, tables, run);
        try (Connection c = source.open("archon-sync base")) {
            c.setAutoCommit(false);
            SyncBase.write(c, source.label(), pairId, tables, run);
        } catch (SQLException | RuntimeException e) {
            SyncBase.notWritten(source.label(), ArchonSyncException.firstLine(String.valueOf(e.getMessage())), run);
        }
    }

    @Override
    public void close() {
        for (HashFile f : files) {
            try {
                f.close();
            } catch (IOException ignored) {
                // a temporary file left behind
            }
        }
        files.clear();
    }
}
