package dev.archon.sync.delta;

/** Rows a bidirectional sync writes on one side, by kind. */
public record SideCounts(long inserts, long updates, long deletes) {
    public static final SideCounts NONE = new SideCounts(0, 0, 0);

    public long changed() {
        return inserts + updates + deletes;
    }

    SideCounts plus(ChangeKind kind) {
        return switch (kind) {
            case INSERT -> new SideCounts(inserts + 1, updates, deletes);
            case UPDATE -> new SideCounts(inserts, updates + 1, deletes);
            case DELETE -> new SideCounts(inserts, updates, deletes + 1);
        };
    }
}
