package dev.archon.sync.delta;

/** How a key changed differently on both sides since the base. */
public enum ConflictKind {
    /** Updated on both sides, to different contents. */
    UPDATE_UPDATE,
    /** Updated locally, deleted remotely. */
    UPDATE_DELETE,
    /** Deleted locally, updated remotely. */
    DELETE_UPDATE,
    /** Inserted on both sides (or present on both without a base) with different contents. */
    INSERT_INSERT,
    /**
     * Two rows under different primary keys that hold the same value of another UNIQUE key (one on
     * each side): one logical row, resolved as one by making the winning side's versions of both
     * keys the result.
     */
    NATURAL_KEY;

    /** "update/update" and so on ("natural key"): the form shown to users. */
    public String label() {
        return this == NATURAL_KEY ? "natural key" : name().toLowerCase(java.util.Locale.ROOT).replace('_', '/');
    }
}
