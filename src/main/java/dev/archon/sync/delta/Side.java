package dev.archon.sync.delta;

/** One of the two databases a bidirectional sync merges. */
public enum Side {
    LOCAL,
    REMOTE;

    /** The other database. */
    public Side other() {
        return this == LOCAL ? REMOTE : LOCAL;
    }
}
