package dev.archon.sync.delta;

/**
 * One conflicting key and the hashes of its three versions.
 *
 * @param key    the key (COPY text fields)
 * @param kind   how both sides changed it
 * @param base   the base's hash, null if the key is not in the base (or there is no base)
 * @param local  the local hash, null if the local side lacks the key
 * @param remote the remote hash, null if the remote side lacks the key
 */
public record KeyConflict(HashedRow key, ConflictKind kind, String base, String local, String remote) {
    /** What resolving the conflict in favour of {@code winner} does to the other side. */
    public KeyOutcome.Carry resolvedBy(Side winner) {
        Side loser = winner.other();
        return ThreeWay.carry(loser, hash(loser), hash(winner));
    }

    public String hash(Side side) {
        return side == Side.LOCAL ? local : remote;
    }
}
