package dev.archon.sync.delta;

import java.util.ArrayList;
import java.util.List;

/**
 * The three-way merge of one table.
 *
 * @param hasBase        whether a base existed (without one nothing is deleted)
 * @param baseRows       rows in the base
 * @param inSync         keys equal on both sides
 * @param toLocal        rows to write on the local side (conflict resolutions included)
 * @param toRemote       rows to write on the remote side (conflict resolutions included)
 * @param inferredDeletes deletes inferred from the base (conflict resolutions excluded): what the
 *                       mass-deletion guard weighs
 * @param unresolved     conflicts no policy resolved: any of them means nothing may be written
 * @param resolved       conflicts a policy resolved
 * @param mergedDigest   the content checksum both sides must have afterwards, counting the
 *                       unresolved conflicts as absent ("rows:sum1:sum2")
 * @param localDigests   the local side's checksum before the run and that of its rows the run replaces
 * @param remoteDigests  the same for the remote side
 */
public record TableMerge(boolean hasBase, long baseRows, long inSync, SideCounts toLocal, SideCounts toRemote,
        long inferredDeletes, List<KeyConflict> unresolved, List<Resolution> resolved, String mergedDigest,
        SideDigests localDigests, SideDigests remoteDigests) {
    public TableMerge {
        unresolved = List.copyOf(unresolved);
        resolved = List.copyOf(resolved);
    }

    /** Whether propagating the inferred deletes would remove more than half of the base's rows. */
    public boolean massDelete() {
        return hasBase && inferredDeletes * 2 > baseRows;
    }

    public SideCounts counts(Side side) {
        return side == Side.LOCAL ? toLocal : toRemote;
    }

    public SideDigests digests(Side side) {
        return side == Side.LOCAL ? localDigests : remoteDigests;
    }

    /** Rows in the merged result (unresolved conflicts not counted). */
    public long mergedRows() {
        return Long.parseLong(mergedDigest.substring(0, mergedDigest.indexOf(':')));
    }

    /**
     * This merge with further conflicts resolved (for example by {@code updated_at}, fetched for
     * the conflicting keys only); conflicts not listed stay unresolved.
     */
    public TableMerge resolve(List<Resolution> more) {
        List<KeyConflict> left = new ArrayList<>(unresolved);
        List<Resolution> done = new ArrayList<>(resolved);
        SideCounts local = toLocal;
        SideCounts remote = toRemote;
        Digest digest = Digest.parse(mergedDigest);
        Digest localReplaced = Digest.parse(localDigests.replaced());
        Digest remoteReplaced = Digest.parse(remoteDigests.replaced());
        for (Resolution r : more) {
            if (!left.remove(r.conflict())) {
                throw new IllegalArgumentException("not an unresolved conflict: " + r.conflict().key().keyLine());
            }
            done.add(r);
            KeyOutcome.Carry carry = r.carry();
            String replaced = r.conflict().hash(carry.to());
            if (carry.to() == Side.LOCAL) {
                local = local.plus(carry.kind());
            } else {
                remote = remote.plus(carry.kind());
            }
            if (replaced != null) {
                (carry.to() == Side.LOCAL ? localReplaced : remoteReplaced).add(replaced);
            }
            String winner = r.conflict().hash(r.winner());
            if (winner != null) {
                digest.add(winner);
            }
        }
        return new TableMerge(hasBase, baseRows, inSync, local, remote, inferredDeletes, left, done, digest.value(),
                new SideDigests(localDigests.before(), localReplaced.value()),
                new SideDigests(remoteDigests.before(), remoteReplaced.value()));
    }
}
