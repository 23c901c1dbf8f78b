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
    INSERT_INSERT;

    /** "update/update" and so on: the form shown to users. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '/');
    }
}
