package dev.archon.sync.engine;

import dev.archon.sync.delta.ConflictPolicy;
import dev.archon.sync.delta.HashedRow;
import dev.archon.sync.delta.KeyConflict;
import dev.archon.sync.delta.KeyOutcome;
import dev.archon.sync.delta.KeyedTable;
import dev.archon.sync.delta.Resolution;
import dev.archon.sync.delta.Side;
import dev.archon.sync.delta.TableMerge;
import dev.archon.sync.delta.ThreeWayMerge;
import dev.archon.sync.history.BaseStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The comparison step of a bidirectional sync: both servers hash their rows in parallel, the base
 * is streamed from the database holding the newer one, and the three streams are merged per table
 * into key files per side and kind, plus the merged (key, hash) lines that become the next base.
 * Both sides must already be locked. Owns its temporary files until closed.
 */
final class MergeScan implements AutoCloseable {
    /** One table's state. */
    static final class Entry implements ThreeWayMerge.Sink {
        final TablePlan plan;
        final KeyedTable keyed;
        final KeyFiles toLocal;
        final KeyFiles toRemote;
        final Path mergedFile;
        final BufferedWriter merged;
        /** Keys whose result is one side's version whatever the classification (resolved natural-key conflicts). */
        final Map<String, Side> forced = new java.util.HashMap<>();
        TableMerge merge;
        String baseSyncId;
        long hashBytes;

        Entry(TablePlan plan) throws IOException {
            this.plan = plan;
            this.keyed = new KeyedTable(plan.source(), plan.binary());
            this.toLocal = new KeyFiles(DiffReport.MAX_EXAMPLES);
            this.toRemote = new KeyFiles(DiffReport.MAX_EXAMPLES);
            this.mergedFile = Files.createTempFile("archon-sync-merged-", ".tsv");
            this.merged = Files.newBufferedWriter(mergedFile, StandardCharsets.UTF_8);
        }

        @Override
        public void accept(Side to, dev.archon.sync.delta.ChangeKind kind, HashedRow key) {
            (to == Side.LOCAL ? toLocal : toRemote).accept(kind, key);
        }

        @Override
        public void merged(HashedRow row) {
            try {
                merged.write(row.keyLine());
                merged.write('\t');
                merged.write(row.hash());
                merged.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        KeyFiles keys(Side side) {
            return side == Side.LOCAL ? toLocal : toRemote;
        }

        /** The merged result's lines (key fields, hash), for the next base. */
        InputStream mergedLines() throws IOException {
            merged.flush();
            return Files.newInputStream(mergedFile);
        }
    }

    private final String pairId;
    private final ConflictPolicy policy;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private Map<String, String> localForms;
    private int reusedScans;
    private int scans;
    private Map<String, String> remoteForms;

    MergeScan(List<TablePlan> tables, String pairId, ConflictPolicy policy) throws IOException {
        this.pairId = pairId;
        this.policy = policy;
        try {
            for (TablePlan t : tables) {
                entries.put(t.name(), new Entry(t));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Hashes both sides, reads the base and merges, table by table. */
    void compare(Connection loc, Connection rem, RunContext run) throws SQLException, IOException {
        try (SecondThread pool = new SecondThread("archon-sync local hashes")) {
            for (Entry e : entries.values()) {
                scan(e, loc, rem, run, pool);
            }
        }
    }

    /** Hashes and merges one table again (after a side changed it, for example by renumbering keys). */
    void rescan(TablePlan t, Connection loc, Connection rem, RunContext run) throws SQLException, IOException {
        rescan(t, Map.of(), loc, rem, run);
    }

    /** Merges one table again with more keys forced to a side (kept with those forced before). */
    void rescan(TablePlan t, Map<String, Side> forced, Connection loc, Connection rem, RunContext run)
            throws SQLException, IOException {
        Entry old = entries.get(t.name());
        Entry fresh = new Entry(t);
        fresh.forced.putAll(old.forced);
        fresh.forced.putAll(forced);
        entries.put(t.name(), fresh);
        closeEntry(old, new ArrayList<>());
        try (SecondThread pool = new SecondThread("archon-sync local hashes")) {
            scan(fresh, loc, rem, run, pool);
        }
    }

    private void scan(Entry e, Connection loc, Connection rem, RunContext run, SecondThread pool)
            throws SQLException, IOException {
        run.checkCancelled();
        run.progress.table(e.plan.name());
        if (localForms == null) {
            localForms = BaseStore.reusesHashes(loc) ? BaseStore.reusableForms(loc, pairId) : Map.of();
            remoteForms = BaseStore.reusesHashes(rem) ? BaseStore.reusableForms(rem, pairId) : Map.of();
        }
        // each server reuses the hashes its base recorded for rows nothing has written since
        String form = e.keyed.hashForm();
        String localPair = form.equals(localForms.get(e.plan.name())) ? pairId : null;
        String remotePair = form.equals(remoteForms.get(e.plan.name())) ? pairId : null;
        reusedScans += (localPair == null ? 0 : 1) + (remotePair == null ? 0 : 1);
        scans += 2;
        SecondThread.Both<HashFile, HashFile> hashes = pool.both(() -> HashFile.capture(loc, e.keyed, localPair),
                () -> HashFile.capture(rem, e.keyed, remotePair), "the local database hashed its rows");
        try (HashFile remote = hashes.own(); HashFile local = hashes.second(); HashFile base = base(loc, rem, e)) {
            Iterator<HashedRow> baseRows = base == null ? List.<HashedRow>of().iterator() : base.stream();
            e.merge = ThreeWayMerge.merge(e.keyed.order(), base != null, baseRows, local.stream(), remote.stream(), policy,
                    e.forced, e);
            e.hashBytes = local.bytes() + remote.bytes();
            run.progress.bytes.addAndGet(e.hashBytes);
        }
    }

    /** The base to merge against: only when both databases hold one for the pair (the newer if they differ). */
    private HashFile base(Connection loc, Connection rem, Entry e) throws SQLException, IOException {
        Optional<BaseStore.Marker> l = BaseStore.marker(loc, pairId, e.plan.name());
        Optional<BaseStore.Marker> r = BaseStore.marker(rem, pairId, e.plan.name());
        if (l.isEmpty() || r.isEmpty()) {
            return null;
        }
        boolean remoteNewer = r.get().madeAt().isAfter(l.get().madeAt());
        e.baseSyncId = (remoteNewer ? r : l).get().syncId();
        return HashFile.capture(remoteNewer ? rem : loc, BaseStore.copySql(pairId, e.plan.name(), e.keyed.order().kinds()));
    }

    /** Applies further resolutions (by updated_at) to a table: their carries join the key files. */
    void resolve(TablePlan t, List<Resolution> more) {
        Entry e = entries.get(t.name());
        e.merge = e.merge.resolve(more);
        for (Resolution r : more) {
            KeyOutcome.Carry c = r.carry();
            e.accept(c.to(), c.kind(), r.conflict().key());
            String winner = r.conflict().hash(r.winner());
            if (winner != null) {
                e.merged(new HashedRow(r.conflict().key().key(), winner));
            }
        }
    }

    Entry entry(TablePlan t) {
        return entries.get(t.name());
    }

    List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** Every unresolved conflict, with its table. */
    Map<TablePlan, List<KeyConflict>> unresolved() {
        Map<TablePlan, List<KeyConflict>> out = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            if (!e.merge.unresolved().isEmpty()) {
                out.put(e.plan, e.merge.unresolved());
            }
        }
        return out;
    }

    long rowsToWrite() {
        return entries.values().stream().mapToLong(e -> e.merge.toLocal().changed() + e.merge.toRemote().changed()).sum();
    }

    /** "N of M table scans": for how many of its scans (one per table and side) a base's hashes stood in. */
    String hashesReused() {
        return reusedScans + " of " + scans + " table scans";
    }

    long hashBytes() {
        return entries.values().stream().mapToLong(e -> e.hashBytes).sum();
    }

    @Override
    public void close() throws IOException {
        List<IOException> errors = new ArrayList<>();
        for (Entry e : entries.values()) {
            closeEntry(e, errors);
        }
        if (!errors.isEmpty()) {
            throw errors.get(0);
        }
    }

    private static void closeEntry(Entry e, List<IOException> errors) {
        for (AutoCloseable c : List.<AutoCloseable>of(e.toLocal, e.toRemote, e.merged)) {
            try {
                c.close();
            } catch (Exception ex) {
                errors.add(ex instanceof IOException io ? io : new IOException(ex));
            }
        }
        try {
            Files.deleteIfExists(e.mergedFile);
        } catch (IOException ex) {
            errors.add(ex);
        }
    }
}
