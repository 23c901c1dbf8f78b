package dev.archon.sync.engine;

import dev.archon.sync.delta.ConflictPolicy;

/**
 * Options of a bidirectional sync only.
 *
 * @param onConflict      how conflicts are resolved (default {@link ConflictPolicy#FAIL}: nothing is written)
 * @param allowMassDelete propagate deletions of more than half of a table's base rows
 */
public record MergeOptions(ConflictPolicy onConflict, boolean allowMassDelete) {
    public static final MergeOptions DEFAULT = new MergeOptions(ConflictPolicy.FAIL, false);

    public MergeOptions {
        onConflict = onConflict == null ? ConflictPolicy.FAIL : onConflict;
    }
}
