package dev.archon.sync.engine;

import dev.archon.sync.delta.ConflictKind;
import dev.archon.sync.delta.ConflictPolicy;
import dev.archon.sync.delta.HashedRow;
import dev.archon.sync.delta.Side;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Natural-key conflicts: a local row and a remote row under different primary keys that the merged
 * result would hold with the same value of another UNIQUE key (the same setting added on both
 * sides under two uuids, the same chunk (url, chunk_number) crawled on both under two bigserial
 * ids). They are one logical row, resolved as one: the winning side's versions of BOTH primary keys
 * become the result, so the winner's row (its key and content) ends up on both sides and the loser's
 * row is removed from the loser's side (or reverted to the winner's version of that key). Rows equal
 * apart from their primary key are the same row whatever the policy: the lower primary key (in the
 * merge's key order) survives. Otherwise {@code local}/{@code remote} pick the side, {@code newer}
 * the later {@code updated_at}, and {@code fail} leaves the conflict listed.
 */
final class NaturalKeys {
    /**
     * A collision and what was decided.
     *
     * @param winner    the side whose versions of both keys win, null when unresolved
     * @param identical whether the two rows are equal apart from their primary key
     */
    record Decision(MergeCheck.Collision collision, Side winner, boolean identical) {
    }

    private NaturalKeys() {
    }

    /** Decides each collision; reads the two rows of each (and their updated_at under {@code newer}). */
    static List<Decision> decide(Connection loc, Connection rem, MergeScan scan, List<MergeCheck.Collision> collisions,
            ConflictPolicy policy) throws SQLException, IOException {
        Map<TablePlan, List<MergeCheck.Collision>> byTable = new LinkedHashMap<>();
        collisions.forEach(c -> byTable.computeIfAbsent(c.table(), k -> new ArrayList<>()).add(c));
        List<Decision> out = new ArrayList<>();
        for (Map.Entry<TablePlan, List<MergeCheck.Collision>> e : byTable.entrySet()) {
            TablePlan t = e.getKey();
            var keyed = scan.entry(t).keyed;
            List<HashedRow> localKeys = e.getValue().stream().map(MergeCheck.Collision::local).toList();
            List<HashedRow> remoteKeys = e.getValue().stream().map(MergeCheck.Collision::remote).toList();
            Map<String, Map<String, String>> l = ConflictRows.columns(loc, keyed, localKeys);
            Map<String, Map<String, String>> r = ConflictRows.columns(rem, keyed, remoteKeys);
            boolean byTime = policy == ConflictPolicy.NEWER && t.source().column("updated_at") != null
                    && t.target().column("updated_at") != null;
            Map<String, Instant> lt = byTime ? ConflictRows.updatedAt(loc, keyed, localKeys) : Map.of();
            Map<String, Instant> rt = byTime ? ConflictRows.updatedAt(rem, keyed, remoteKeys) : Map.of();
            for (MergeCheck.Collision c : e.getValue()) {
                Map<String, String> lrow = l.get(c.local().keyLine());
                Map<String, String> rrow = r.get(c.remote().keyLine());
                boolean identical = lrow != null && rrow != null && withoutKey(lrow, keyed.keyColumns())
                        .equals(withoutKey(rrow, keyed.keyColumns()));
                Side winner;
                if (identical) {
                    winner = keyed.order().compare(c.local(), c.remote()) <= 0 ? Side.LOCAL : Side.REMOTE;
                } else if (policy.fixedWinner().isPresent()) {
                    winner = policy.fixedWinner().get();
                } else {
                    winner = byTime ? later(lt.get(c.local().keyLine()), rt.get(c.remote().keyLine())) : null;
                }
                out.add(new Decision(c, winner, identical));
            }
        }
        return out;
    }

    private static Side later(Instant local, Instant remote) {
        if (local == null || remote == null || local.equals(remote)) {
            return null;
        }
        return local.isAfter(remote) ? Side.LOCAL : Side.REMOTE;
    }

    private static Map<String, String> withoutKey(Map<String, String> row, List<String> key) {
        Map<String, String> m = new TreeMap<>(row);
        key.forEach(m::remove);
        return m;
    }

    /**
     * Forces both keys of each decided collision to its winner and merges the tables concerned again;
     * first lets references to a losing row follow the winner's key where foreign keys allow it
     * ({@link KeyFollow}: the moves go to {@code followed}). Returns whether any key was newly forced
     * (keys already forced stay as they were).
     */
    static boolean apply(List<Decision> decisions, MergeScan scan, Connection loc, Connection rem, MergeConstraints localConstraints,
            MergeConstraints remoteConstraints, List<String> followed, RunContext run) throws SQLException, IOException {
        Map<TablePlan, Map<String, Side>> forced = new LinkedHashMap<>();
        for (Decision d : decisions) {
            if (d.winner() == null) {
                continue;
            }
            MergeScan.Entry e = scan.entry(d.collision().table());
            boolean fresh = false;
            for (HashedRow k : List.of(d.collision().local(), d.collision().remote())) {
                if (!e.forced.containsKey(k.keyLine())) {
                    forced.computeIfAbsent(d.collision().table(), x -> new HashMap<>()).putIfAbsent(k.keyLine(), d.winner());
                    fresh = true;
                }
            }
            String moved = fresh ? KeyFollow.follow(d, loc, rem, localConstraints, remoteConstraints) : null;
            if (moved != null) {
                followed.add(d.collision().table().name() + " " + moved);
                // the children that followed changed on the losing side: their tables are merged again too
                (d.winner() == Side.LOCAL ? remoteConstraints : localConstraints).foreignKeys().stream()
                        .filter(r -> r.parent().name().equals(d.collision().table().name()) && r.onUpdateCascade())
                        .forEach(r -> forced.computeIfAbsent(r.child(), x -> new HashMap<>()));
            }
        }
        for (Map.Entry<TablePlan, Map<String, Side>> f : forced.entrySet()) {
            scan.rescan(f.getKey(), f.getValue(), loc, rem, run);
        }
        return !forced.isEmpty();
    }

    /** "table: columns = values, local key / remote key -> winner (why)" for the run's metrics. */
    static String resolvedLine(Decision d) {
        MergeCheck.Collision c = d.collision();
        var keyColumns = c.table().source().key();
        return c.table().name() + " " + naturalKey(c) + ": local " + ConflictList.key(keyColumns, c.local()) + ", remote "
                + ConflictList.key(keyColumns, c.remote()) + " -> " + MergeApply.label(d.winner())
                + (d.identical() ? " (equal apart from the key: the lower key is kept)" : "");
    }

    static String naturalKey(MergeCheck.Collision c) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < c.columns().size(); i++) {
            parts.add(c.columns().get(i) + "=" + c.values().get(i));
        }
        return String.join(", ", parts);
    }

    /** The unresolved ones as listed conflicts: table, the natural key, kind, both primary keys, the columns that differ. */
    static List<Map<String, Object>> describe(Connection loc, Connection rem, MergeScan scan, List<Decision> unresolved)
            throws SQLException, IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Decision d : unresolved) {
            MergeCheck.Collision c = d.collision();
            var keyed = scan.entry(c.table()).keyed;
            Map<String, String> l = ConflictRows.columns(loc, keyed, List.of(c.local())).get(c.local().keyLine());
            Map<String, String> r = ConflictRows.columns(rem, keyed, List.of(c.remote())).get(c.remote().keyLine());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", c.table().name());
            m.put("key", naturalKey(c));
            m.put("kind", ConflictKind.NATURAL_KEY.label());
            m.put("local_key", ConflictList.key(keyed.keyColumns(), c.local()));
            m.put("remote_key", ConflictList.key(keyed.keyColumns(), c.remote()));
            m.put("columns", ConflictList.columns(l, r, ConflictList.secret(c.table())));
            out.add(m);
            if (out.size() >= ConflictList.MAX_LISTED) {
                break;
            }
        }
        return out;
    }
}
