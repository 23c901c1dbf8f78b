package dev.archon.sync.delta;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Merges a table's base, local and remote key-ordered hash streams: each key is in sync, carried to
 * one side, or a conflict (resolved on the spot by a fixed-winner policy, otherwise collected).
 * Keys to write stream to a sink; memory holds one row per stream plus the conflicts.
 */
public final class ThreeWayMerge {
    /** Receives each key to write on a side (carries and fixed-winner resolutions, in key order). */
    @FunctionalInterface
    public interface Sink {
        void accept(Side to, ChangeKind kind, HashedRow key);

        /** Receives each key of the merged result with its hash (unresolved conflicts left out): the next base. */
        default void merged(HashedRow row) {
        }
    }

    private ThreeWayMerge() {
    }

    /**
     * @param hasBase whether the table has a base (an empty base stream with {@code hasBase} means
     *                the tables were empty when last in sync)
     * @param policy  {@link ConflictPolicy#LOCAL}/{@link ConflictPolicy#REMOTE} resolve here; the
     *                others leave conflicts unresolved for the caller
     */
    public static TableMerge merge(KeyOrder order, boolean hasBase, Iterator<HashedRow> base, Iterator<HashedRow> local,
            Iterator<HashedRow> remote, ConflictPolicy policy, Sink sink) {
        return merge(order, hasBase, base, local, remote, policy, Map.of(), sink);
    }

    /**
     * @param forced keys (their {@link HashedRow#keyLine()}) whose result is the given side's version whatever
     *               the classification: the two keys of a resolved natural-key conflict. Where both sides differ
     *               they count as resolutions of kind {@link ConflictKind#NATURAL_KEY}, never as inferred deletes.
     */
    public static TableMerge merge(KeyOrder order, boolean hasBase, Iterator<HashedRow> base, Iterator<HashedRow> local,
            Iterator<HashedRow> remote, ConflictPolicy policy, Map<String, Side> forced, Sink sink) {
        AlignedRows rows = new AlignedRows(order, List.of(base, local, remote));
        Optional<Side> winner = policy.fixedWinner();
        Digest merged = new Digest();
        Digest[] before = {new Digest(), new Digest()};
        Digest[] replaced = {new Digest(), new Digest()};
        SideCounts[] counts = {SideCounts.NONE, SideCounts.NONE};
        long baseRows = 0;
        long inSync = 0;
        long inferredDeletes = 0;
        List<KeyConflict> unresolved = new ArrayList<>();
        List<Resolution> resolved = new ArrayList<>();
        while (rows.hasNext()) {
            AlignedRows.Aligned a = rows.next();
            String b = hasBase ? a.hash(0) : null;
            String l = a.hash(1);
            String r = a.hash(2);
            if (b != null) {
                baseRows++;
            }
            addIfPresent(before[Side.LOCAL.ordinal()], l);
            addIfPresent(before[Side.REMOTE.ordinal()], r);
            Side forcedWinner = forced.isEmpty() ? null : forced.get(a.key().keyLine());
            KeyOutcome outcome = forcedWinner == null || java.util.Objects.equals(l, r) ? ThreeWay.classify(hasBase, b, l, r)
                    : new KeyOutcome.Conflict(ConflictKind.NATURAL_KEY);
            if (outcome instanceof KeyOutcome.InSync) {
                if (l != null) {
                    inSync++;
                    merged.add(l);
                    sink.merged(new HashedRow(a.key().key(), l));
                }
            } else if (outcome instanceof KeyOutcome.Carry c) {
                String kept = c.to() == Side.LOCAL ? r : l;
                if (kept != null) {
                    merged.add(kept);
                    sink.merged(new HashedRow(a.key().key(), kept));
                }
                if (c.kind() == ChangeKind.DELETE) {
                    inferredDeletes++;
                }
                counts[c.to().ordinal()] = counts[c.to().ordinal()].plus(c.kind());
                addIfPresent(replaced[c.to().ordinal()], c.to() == Side.LOCAL ? l : r);
                sink.accept(c.to(), c.kind(), a.key());
            } else if (outcome instanceof KeyOutcome.Conflict k) {
                KeyConflict conflict = new KeyConflict(a.key(), k.kind(), b, l, r);
                Optional<Side> won = forcedWinner != null ? Optional.of(forcedWinner) : winner;
                if (won.isPresent()) {
                    Resolution res = new Resolution(conflict, won.get());
                    resolved.add(res);
                    KeyOutcome.Carry c = res.carry();
                    String kept = conflict.hash(won.get());
                    if (kept != null) {
                        merged.add(kept);
                        sink.merged(new HashedRow(a.key().key(), kept));
                    }
                    counts[c.to().ordinal()] = counts[c.to().ordinal()].plus(c.kind());
                    addIfPresent(replaced[c.to().ordinal()], conflict.hash(c.to()));
                    sink.accept(c.to(), c.kind(), a.key());
                } else {
                    unresolved.add(conflict);
                }
            }
        }
        return new TableMerge(hasBase, baseRows, inSync, counts[0], counts[1], inferredDeletes, unresolved, resolved,
                merged.value(), new SideDigests(before[0].value(), replaced[0].value()),
                new SideDigests(before[1].value(), replaced[1].value()));
    }

    /** Adds a side's hash of a key, when the side holds the key (an insert replaces nothing). */
    private static void addIfPresent(Digest digest, String hash) {
        if (hash != null) {
            digest.add(hash);
        }
    }
}
