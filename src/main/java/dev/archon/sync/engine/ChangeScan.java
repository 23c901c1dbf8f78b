package dev.archon.sync.engine;

import dev.archon.sync.db.Sql;
import dev.archon.sync.history.BaseStore;
import dev.archon.sync.delta.KeyedTable;
import dev.archon.sync.delta.TableDiff;
import dev.archon.sync.delta.TwoWayDiff;
import dev.archon.sync.schema.ForeignKey;
import dev.archon.sync.schema.TableName;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The comparison step of a changes-only sync: chooses each table's mode, has both servers hash the
 * rows of the tables compared (in parallel, one COPY per table and side), and diffs the streams into
 * key files. Owns the temporary files until closed.
 */
final class ChangeScan implements AutoCloseable {
    private final List<TablePlan> tables;
    private final SyncMode mode;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** One table's state. */
    private static final class Entry {
        final TablePlan plan;
        final KeyedTable keyed;
        boolean full;
        String reason;
        long targetRows;
        TableDiff diff;
        KeyFiles keys;
        HashFile sourceHashes;
        long hashBytes;

        Entry(TablePlan plan) {
            this.plan = plan;
            this.keyed = plan.source().key().isEmpty() || plan.target().key().isEmpty() ? null : new KeyedTable(plan.source(),
                    plan.binary());
        }
    }

    private final int examples;
    private String pairId;
    private Map<String, String> sourceForms;
    private Map<String, String> targetForms;

    ChangeScan(List<TablePlan> tables, SyncMode mode) {
        this(tables, mode, 0);
    }

    /** @param examples keys of each kind kept in memory per table, for previews */
    ChangeScan(List<TablePlan> tables, SyncMode mode, int examples) {
        this.tables = List.copyOf(tables);
        this.mode = mode;
        this.examples = examples;
        tables.forEach(t -> entries.put(t.name(), new Entry(t)));
    }

    /**
     * Lets each server take a row's hash from its base of {@code pairId} when the row has not been
     * written since that base was recorded (see {@link KeyedTable#hashCopySql(String)}), for the
     * tables whose base on that server may stand in ({@link BaseStore#reusableForms}).
     */
    ChangeScan reusingBase(String pairId) {
        this.pairId = pairId;
        return this;
    }

    /**
     * Whether both databases hold a reusable base of the pair given to {@link #reusingBase} for every
     * table with a key, in the form this scan hashes it: then no such table is hashed from scratch.
     */
    boolean baseCoversEveryKeyedTable(Connection snapshot, Connection tgt) throws SQLException {
        loadForms(snapshot, tgt);
        return pairId != null && entries.values().stream().filter(e -> e.keyed != null)
                .allMatch(e -> reusable(sourceForms, e) != null && reusable(targetForms, e) != null);
    }

    private void loadForms(Connection snapshot, Connection tgt) throws SQLException {
        if (sourceForms == null) {
            sourceForms = pairId == null ? Map.of() : BaseStore.reusableForms(snapshot, pairId);
            targetForms = pairId == null ? Map.of() : BaseStore.reusableForms(tgt, pairId);
        }
    }

    private String reusable(Map<String, String> forms, Entry e) {
        return e.keyed.hashForm().equals(forms.get(e.plan.name())) ? pairId : null;
    }

    /** Chooses modes, hashes both sides and diffs; the target must already be locked in {@code tgt}'s transaction. */
    void compare(Connection snapshot, Connection tgt, RunContext run) throws SQLException, IOException {
        for (Entry e : entries.values()) {
            if (e.keyed == null) {
                full(e, "no primary key or unique NOT NULL key: copied in full");
            } else if (mode == SyncMode.AUTO && !Sql.queryBoolean(tgt, "SELECT EXISTS (SELECT 1 FROM ONLY "
                    + e.plan.target().name().quoted() + ")")) {
                full(e, "the target table is empty");
            }
        }
        keepReferencedTablesOutOfFullCopies();
        int reused = 0;
        loadForms(snapshot, tgt);
        try (SecondThread pool = new SecondThread("archon-sync source hashes")) {
            for (Entry e : entries.values()) {
                if (e.full) {
                    continue;
                }
                if (run != null) {
                    run.checkCancelled();
                    run.progress.table(e.plan.name());
                }
                String sourcePair = reusable(sourceForms, e);
                String targetPair = reusable(targetForms, e);
                reused += (sourcePair == null ? 0 : 1) + (targetPair == null ? 0 : 1);
                SecondThread.Both<HashFile, HashFile> hashes = pool.both(() -> HashFile.capture(snapshot, e.keyed, sourcePair),
                        () -> HashFile.capture(tgt, e.keyed, targetPair), "the source hashed its rows");
                HashFile src = hashes.second();
                e.sourceHashes = src;
                try (HashFile target = hashes.own()) {
                    e.keys = new KeyFiles(examples);
                    e.diff = TwoWayDiff.compare(e.keyed.order(), src.stream(), target.stream(), e.keys::accept);
                    e.targetRows = e.diff.targetRows();
                    e.hashBytes = src.bytes() + target.bytes();
                    if (run != null) {
                        run.progress.bytes.addAndGet(e.hashBytes);
                    }
                }
            }
        }
        if (run != null && pairId != null) {
            run.metrics.put("base_hashes_reused", reused + " of " + 2 * entries.values().stream().filter(e -> !e.full).count()
                    + " table scans");
        }
        if (mode == SyncMode.AUTO) {
            for (Entry e : entries.values()) {
                if (!e.full && e.diff.changed() > SyncMode.FULL_COPY_FRACTION * Math.max(1, Math.max(e.diff.sourceRows(),
                        e.diff.targetRows()))) {
                    full(e, "more than " + Math.round(SyncMode.FULL_COPY_FRACTION * 100) + "% of its rows differ");
                }
            }
            keepReferencedTablesOutOfFullCopies();
        }
        for (Entry e : entries.values()) {
            if (e.full && e.diff == null && e.keyed == null) {
                e.targetRows = Sql.queryLong(tgt, "SELECT count(*) FROM ONLY " + e.plan.target().name().quoted());
            }
        }
    }

    private static void full(Entry e, String reason) {
        e.full = true;
        e.reason = reason;
    }

    /**
     * A full copy empties its table with TRUNCATE, which a foreign key from a table that is not
     * emptied too forbids: such a table is compared instead (it has a key, being referenced).
     */
    private void keepReferencedTablesOutOfFullCopies() {
        boolean changed = true;
        while (changed) {
            changed = false;
            Map<TableName, Entry> byName = new HashMap<>();
            entries.values().forEach(e -> byName.put(e.plan.target().name(), e));
            for (Entry child : entries.values()) {
                for (ForeignKey fk : child.plan.target().foreignKeys()) {
                    Entry parent = byName.get(fk.referenced());
                    if (parent != null && parent != child && parent.full && !child.full && parent.keyed != null) {
                        parent.full = false;
                        parent.reason = null;
                        changed = true;
                    }
                }
            }
        }
    }

    List<TablePlan> fullTables() {
        return entries.values().stream().filter(e -> e.full).map(e -> e.plan).toList();
    }

    /** Tables compared that have at least one row to write. */
    List<TablePlan> changedTables() {
        return entries.values().stream().filter(e -> !e.full && e.diff.changed() > 0).map(e -> e.plan).toList();
    }

    boolean isFull(TablePlan t) {
        return entries.get(t.name()).full;
    }

    boolean isChanged(TablePlan t) {
        Entry e = entries.get(t.name());
        return !e.full && e.diff.changed() > 0;
    }

    boolean isUnchanged(TablePlan t) {
        Entry e = entries.get(t.name());
        return !e.full && e.diff.changed() == 0;
    }

    /** Why the table is copied in full, or null when it is compared. */
    String fullReason(TablePlan t) {
        return entries.get(t.name()).reason;
    }

    KeyedTable keyed(TablePlan t) {
        return entries.get(t.name()).keyed;
    }

    KeyFiles keys(TablePlan t) {
        return entries.get(t.name()).keys;
    }

    TableDiff diff(TablePlan t) {
        return entries.get(t.name()).diff;
    }

    /**
     * The source snapshot's (key, hash) lines of a compared table, in the form a base stores; null
     * for a table copied in full. Owned by the scan.
     */
    HashFile sourceHashes(TablePlan t) {
        Entry e = entries.get(t.name());
        return e.full ? null : e.sourceHashes;
    }

    long targetRows(TablePlan t) {
        return entries.get(t.name()).targetRows;
    }

    /** The source's content checksum from its row hashes, or null when the table was not hashed. */
    String sourceDigest(TablePlan t) {
        TableDiff d = entries.get(t.name()).diff;
        return d == null ? null : d.sourceDigest();
    }

    String targetDigest(TablePlan t) {
        TableDiff d = entries.get(t.name()).diff;
        return d == null ? null : d.targetDigest();
    }

    long hashBytes(TablePlan t) {
        return entries.get(t.name()).hashBytes;
    }

    long hashBytes() {
        return entries.values().stream().mapToLong(e -> e.hashBytes).sum();
    }

    /** Rows the apply writes: changed rows of compared tables, every source row of full copies. */
    long rowsToWrite() {
        return entries.values().stream().mapToLong(e -> e.full ? (e.diff != null ? e.diff.sourceRows() : e.plan.sourceRows())
                : e.diff.changed()).sum();
    }

    List<TablePlan> tables() {
        return tables;
    }

    @Override
    public void close() throws IOException {
        List<IOException> errors = new ArrayList<>();
        for (Entry e : entries.values()) {
            for (AutoCloseable c : new AutoCloseable[] {e.keys, e.sourceHashes}) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception ex) {
                    errors.add(ex instanceof IOException io ? io : new IOException(ex));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw errors.get(0);
        }
    }
}
