package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.LinkFailures;
import dev.archon.sync.delta.KeyedTable;
import dev.archon.sync.history.BaseStore;
import dev.archon.sync.verify.ContentChecksum;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The base a completed one-way sync establishes: after its commit both databases hold the source
 * snapshot, so that content becomes the base of the next bidirectional run. A table the run
 * compared row by row already has that content's hashes (the source snapshot's, taken by the scan
 * with the same key and hash form a merge uses, and verified equal to the target's after the
 * apply); any other table is hashed on the target inside the run's transaction just before COMMIT
 * (the content it commits, under its lock; never newer than either side: the source may only have
 * moved on since its snapshot). After COMMIT the base is written on both databases with
 * {@link SyncBase}. Best effort throughout: nothing here fails the run, except a lost connection
 * (the run cannot commit then). Deletes the files it captured on close (not the ones it was given).
 */
final class OneWayBase implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OneWayBase.class);
    private final List<HashFile> files = new ArrayList<>();
    private final List<SyncBase.Table> sourceTables = new ArrayList<>();
    private final List<SyncBase.Table> targetTables = new ArrayList<>();
    private final java.util.Map<String, HashFile> targetHashes = new java.util.HashMap<>();
    private String pairId;

    /**
     * Hashes the target's tables in its open transaction (a savepoint keeps a failure from aborting it).
     *
     * @throws SQLException only when a connection itself is lost (a silent link, a reset): then the run
     *         cannot commit, and must fail saying why rather than send its COMMIT into a dead connection
     */
    static OneWayBase capture(Connection snapshot, Connection tgt, Database source, Database target, List<TablePlan> plan,
                              RunContext run) throws SQLException {
        return capture(snapshot, tgt, source, target, plan, t -> null, run);
    }

    /**
     * As {@link #capture(Connection, Connection, Database, Database, List, RunContext)}, taking a
     * table's lines from {@code known} when it has them (hashes of exactly the content the target
     * commits, owned by the caller), hashing only the others.
     */
    static OneWayBase capture(Connection snapshot, Connection tgt, Database source, Database target, List<TablePlan> plan,
                              Function<TablePlan, HashFile> known, RunContext run) throws SQLException {
        OneWayBase base = new OneWayBase();
        Savepoint sp = null;
        try {
            if (!BaseStore.installed(snapshot) || !BaseStore.installed(tgt)) {
                base.skip(source, target, "the base tables are missing (archon-sync migrate has not run)", run);
                return base;
            }
            base.pairId = pairId(snapshot, tgt, source, target);
            long start = System.nanoTime();
            sp = tgt.setSavepoint();
            for (TablePlan p : plan) {
                if (p.source().key().isEmpty() || p.target().key().isEmpty()) {
                    continue; // a bidirectional run refuses keyless tables: nothing to base
                }
                KeyedTable keyed = new KeyedTable(p.source(), p.binary());
                int width = p.source().key().size();
                HashFile f = known.apply(p);
                if (f == null) {
                    HashFile ours = base.own(HashFile.capture(tgt, keyed));
                    base.targetHashes.put(p.name(), ours);
                    HashFile theirs = base.own(ours.withoutXmin());
                    base.targetTables.add(new SyncBase.Table(p.name(), width, ours::open, true, keyed.hashForm()));
                    base.sourceTables.add(new SyncBase.Table(p.name(), width, theirs::open, false, keyed.hashForm()));
                } else {
                    HashFile xmins = base.own(HashFile.capture(tgt, keyed.xminCopySql()));
                    HashFile ours = base.own(HashFile.withXmins(f, xmins));
                    base.targetTables.add(new SyncBase.Table(p.name(), width, ours::open, true, keyed.hashForm()));
                    base.sourceTables.add(new SyncBase.Table(p.name(), width, f::open, f.withXmin(), keyed.hashForm()));
                }
            }
            tgt.releaseSavepoint(sp);
            run.metrics.put("base_hash_seconds", FullSync.round(FullSync.seconds(start)));
        } catch (SQLException | IOException | RuntimeException e) {
            base.close();
            if (LinkFailures.silentLink(e) != null || e instanceof SQLException lost && LinkFailures.connectionLost(lost)) {
                throw e instanceof SQLException sql ? sql : new SQLException(e.getMessage(), "08006", e);
            }
            rollbackTo(tgt, sp);
            base.sourceTables.clear();
            base.targetTables.clear();
            base.targetHashes.clear();
            base.skip(source, target, ArchonSyncException.firstLine(String.valueOf(e.getMessage())), run);
        }
        return base;
    }

    /**
     * The target's content checksum of a table this base hashed on the target (in the run's
     * transaction, as it commits), computed from those hashes; null when it did not hash it, or
     * when its hashes, taken in the source's columns, are not in the form of the target table's own
     * checksum.
     */
    ContentChecksum.Value targetChecksum(TablePlan t) throws IOException {
        HashFile f = targetHashes.get(t.name());
        return f == null || !t.targetHashesLikeSource(t.binary()) ? null : f.digest();
    }

    /** The pair's id (REFUSED when the base tables are missing or both databases share an identity). */
    static String pairId(Connection snapshot, Connection tgt, Database source, Database target) throws SQLException {
        String s = BaseStore.identity(snapshot, source.label());
        String t = BaseStore.identity(tgt, target.label());
        return source.config().role() == DatabaseRole.LOCAL ? BaseStore.pairId(s, t) : BaseStore.pairId(t, s);
    }

    /** {@link #pairId} when both databases can reuse base hashes (migration 003 on both), else null. */
    static String reusablePair(Connection snapshot, Connection tgt, Database source, Database target) {
        try {
            if (BaseStore.installed(snapshot) && BaseStore.installed(tgt) && BaseStore.reusesHashes(snapshot)
                    && BaseStore.reusesHashes(tgt)) {
                return pairId(snapshot, tgt, source, target);
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("no base hashes reused: {}", e.getMessage());
        }
        return null;
    }

    private HashFile own(HashFile f) {
        files.add(f);
        return f;
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

    /** After COMMIT: the base on the target (its connection, autocommit off) and on the source, at the same time. */
    void write(Connection tgt, Database source, Database target, RunContext run) {
        if (pairId == null) {
            return;
        }
        SyncBase.writeBoth(target.label(), () -> SyncBase.write(tgt, target.label(), pairId, targetTables, run.syncId),
                source.label(), () -> {
                    try (Connection c = source.open("archon-sync base")) {
                        c.setAutoCommit(false);
                        return SyncBase.write(c, source.label(), pairId, sourceTables, run.syncId);
                    } catch (SQLException | RuntimeException e) {
                        return SyncBase.failed(source.label(), ArchonSyncException.firstLine(String.valueOf(e.getMessage())));
                    }
                }, run);
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
