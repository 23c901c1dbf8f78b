package dev.archon.sync.delta;

/**
 * What a three-way merge does with one key: nothing ({@link InSync}), carry one side's version to
 * the other ({@link Carry}), or stop at a {@link Conflict}.
 */
public sealed interface KeyOutcome {
    /** Both sides hold the same content (or both lack the key): nothing to do, whatever the base says. */
    record InSync() implements KeyOutcome {
    }

    /**
     * One side's version goes to the other.
     *
     * @param to   the side written
     * @param kind what is done to that side's row
     */
    record Carry(Side to, ChangeKind kind) implements KeyOutcome {
    }

    /** Both sides changed the key differently since the base. */
    record Conflict(ConflictKind kind) implements KeyOutcome {
    }

    InSync IN_SYNC = new InSync();
}
