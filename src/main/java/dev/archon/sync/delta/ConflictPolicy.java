package dev.archon.sync.delta;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * How conflicts are resolved: {@link #FAIL} leaves them unresolved (the run writes nothing),
 * {@link #LOCAL} / {@link #REMOTE} let that side win every conflict, {@link #NEWER} lets the
 * version with the later {@code updated_at} win, per row.
 */
public enum ConflictPolicy {
    FAIL,
    LOCAL,
    REMOTE,
    NEWER;

    public static ConflictPolicy parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("on-conflict must be fail, local, remote or newer, not '" + text + "'");
        }
    }

    /** The side that wins without any timestamp, or empty (FAIL, NEWER). */
    public Optional<Side> fixedWinner() {
        return switch (this) {
            case LOCAL -> Optional.of(Side.LOCAL);
            case REMOTE -> Optional.of(Side.REMOTE);
            default -> Optional.empty();
        };
    }

    /**
     * The winner under {@link #NEWER}: the later timestamp; a deleted side has none, so the surviving
     * version wins (keeping data is the side of caution); equal or missing timestamps resolve nothing.
     *
     * @param localUpdatedAt  the local row's updated_at, null if the row is deleted or the value null
     * @param remoteUpdatedAt the remote row's updated_at, likewise
     */
    public static Optional<Side> newer(KeyConflict c, Instant localUpdatedAt, Instant remoteUpdatedAt) {
        if (c.local() == null) {
            return Optional.of(Side.REMOTE);
        }
        if (c.remote() == null) {
            return Optional.of(Side.LOCAL);
        }
        if (localUpdatedAt == null || remoteUpdatedAt == null || localUpdatedAt.equals(remoteUpdatedAt)) {
            return Optional.empty();
        }
        return Optional.of(localUpdatedAt.isAfter(remoteUpdatedAt) ? Side.LOCAL : Side.REMOTE);
    }
}
