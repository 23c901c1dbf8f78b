package dev.archon.sync.delta;

import java.util.Objects;

/**
 * The three-way classification of one key from the hashes of its base B, local L and remote R
 * versions (null = absent). Without a base nothing is ever deleted: a key on one side only is
 * copied to the other, differing contents are a conflict. Pure, thread-safe.
 */
public final class ThreeWay {
    private ThreeWay() {
    }

    /**
     * @param hasBase whether the table has a base at all (a table whose base is empty has one)
     * @param base    the base's hash, ignored without a base
     */
    public static KeyOutcome classify(boolean hasBase, String base, String local, String remote) {
        if (local == null && remote == null && !hasBase) {
            throw new IllegalArgumentException("a key present nowhere");
        }
        if (Objects.equals(local, remote)) {
            return KeyOutcome.IN_SYNC;
        }
        if (!hasBase) {
            if (local == null) {
                return new KeyOutcome.Carry(Side.LOCAL, ChangeKind.INSERT);
            }
            if (remote == null) {
                return new KeyOutcome.Carry(Side.REMOTE, ChangeKind.INSERT);
            }
            return new KeyOutcome.Conflict(ConflictKind.INSERT_INSERT);
        }
        if (Objects.equals(local, base)) {
            return carry(Side.LOCAL, local, remote);
        }
        if (Objects.equals(remote, base)) {
            return carry(Side.REMOTE, remote, local);
        }
        if (base == null) {
            return new KeyOutcome.Conflict(ConflictKind.INSERT_INSERT);
        }
        if (local == null) {
            return new KeyOutcome.Conflict(ConflictKind.DELETE_UPDATE);
        }
        if (remote == null) {
            return new KeyOutcome.Conflict(ConflictKind.UPDATE_DELETE);
        }
        return new KeyOutcome.Conflict(ConflictKind.UPDATE_UPDATE);
    }

    /** The carry that makes {@code to} (holding {@code current}) equal to the {@code winner} version. */
    public static KeyOutcome.Carry carry(Side to, String current, String winner) {
        if (winner == null) {
            return new KeyOutcome.Carry(to, ChangeKind.DELETE);
        }
        return new KeyOutcome.Carry(to, current == null ? ChangeKind.INSERT : ChangeKind.UPDATE);
    }
}
