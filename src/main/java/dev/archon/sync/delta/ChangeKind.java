package dev.archon.sync.delta;

/** What a one-way changes-only sync does to a key of the target. */
public enum ChangeKind {
    /** Only the source has it: insert it. */
    INSERT,
    /** Both have it with different content: overwrite the target's. */
    UPDATE,
    /** Only the target has it: delete it. */
    DELETE
}
