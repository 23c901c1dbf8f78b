package dev.archon.sync.delta;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Merges several key-ordered hash streams into one stream of keys, each with the hash every stream
 * holds for it (null where a stream lacks the key). Memory: one row per stream. Refuses a stream
 * that is not strictly ascending in {@link KeyOrder} (a server sorting differently would otherwise
 * show up as false inserts and deletes). Not thread-safe.
 */
public final class AlignedRows implements Iterator<AlignedRows.Aligned> {
    /** One key and its hash in each stream (null = absent there). */
    public record Aligned(HashedRow key, List<String> hashes) {
        public String hash(int stream) {
            return hashes.get(stream);
        }
    }

    private final KeyOrder order;
    private final List<Iterator<HashedRow>> streams;
    private final HashedRow[] heads;
    private final HashedRow[] previous;

    public AlignedRows(KeyOrder order, List<Iterator<HashedRow>> streams) {
        this.order = order;
        this.streams = List.copyOf(streams);
        this.heads = new HashedRow[streams.size()];
        this.previous = new HashedRow[streams.size()];
        for (int i = 0; i < heads.length; i++) {
            advance(i);
        }
    }

    @Override
    public boolean hasNext() {
        for (HashedRow h : heads) {
            if (h != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Aligned next() {
        HashedRow min = null;
        for (HashedRow h : heads) {
            if (h != null && (min == null || order.compare(h, min) < 0)) {
                min = h;
            }
        }
        if (min == null) {
            throw new NoSuchElementException();
        }
        List<String> hashes = new ArrayList<>(heads.length);
        HashedRow key = min;
        for (int i = 0; i < heads.length; i++) {
            if (heads[i] != null && order.compare(heads[i], key) == 0) {
                hashes.add(heads[i].hash());
                advance(i);
            } else {
                hashes.add(null);
            }
        }
        return new Aligned(key, java.util.Collections.unmodifiableList(hashes));
    }

    private void advance(int i) {
        Iterator<HashedRow> it = streams.get(i);
        HashedRow next = it.hasNext() ? it.next() : null;
        if (next != null && previous[i] != null && order.compare(previous[i], next) >= 0) {
            throw new IllegalStateException("stream " + i + " is not in key order: " + previous[i].keyLine() + " then "
                    + next.keyLine());
        }
        heads[i] = next;
        if (next != null) {
            previous[i] = next;
        }
    }
}
