package dev.archon.sync.delta;

import java.util.Iterator;
import java.util.List;

/**
 * Compares a source's and a target's key-ordered hash streams: every key is an insert, an update, a
 * delete or unchanged. Streams the keys that change to a sink; memory does not grow with the table.
 */
public final class TwoWayDiff {
    /** Receives each key that changes. */
    @FunctionalInterface
    public interface Sink {
        void accept(ChangeKind kind, HashedRow key);
    }

    private TwoWayDiff() {
    }

    public static TableDiff compare(KeyOrder order, Iterator<HashedRow> source, Iterator<HashedRow> target, Sink sink) {
        AlignedRows rows = new AlignedRows(order, List.of(source, target));
        Digest sourceDigest = new Digest();
        Digest targetDigest = new Digest();
        Digest replaced = new Digest();
        Digest written = new Digest();
        long inserts = 0;
        long updates = 0;
        long deletes = 0;
        long unchanged = 0;
        while (rows.hasNext()) {
            AlignedRows.Aligned a = rows.next();
            String s = a.hash(0);
            String t = a.hash(1);
            if (s != null) {
                sourceDigest.add(s);
            }
            if (t != null) {
                targetDigest.add(t);
            }
            if (s != null && !s.equals(t)) {
                written.add(s);
            }
            if (t != null && !t.equals(s)) {
                replaced.add(t);
            }
            if (t == null) {
                inserts++;
                sink.accept(ChangeKind.INSERT, a.key());
            } else if (s == null) {
                deletes++;
                sink.accept(ChangeKind.DELETE, a.key());
            } else if (!s.equals(t)) {
                updates++;
                sink.accept(ChangeKind.UPDATE, a.key());
            } else {
                unchanged++;
            }
        }
        return new TableDiff(inserts, updates, deletes, unchanged, sourceDigest.value(), targetDigest.value(),
                replaced.value(), written.value());
    }
}
