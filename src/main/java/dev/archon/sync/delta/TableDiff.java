package dev.archon.sync.delta;

/**
 * The difference between a source table and a target table, by key.
 *
 * @param inserts      keys only the source has
 * @param updates      keys both have with different content
 * @param deletes      keys only the target has
 * @param unchanged    keys both have with equal content
 * @param sourceDigest the source's content checksum ("rows:sum1:sum2"), from its row hashes
 * @param targetDigest the target's content checksum before the change
 * @param replacedDigest the checksum of the target rows that change (updated or deleted)
 * @param writtenDigest  the checksum of the source rows that are written (inserted or updated)
 */
public record TableDiff(long inserts, long updates, long deletes, long unchanged, String sourceDigest, String targetDigest,
                        String replacedDigest, String writtenDigest) {
    /** Rows a changes-only apply writes (inserted, updated or deleted). */
    public long changed() {
        return inserts + updates + deletes;
    }

    public long sourceRows() {
        return inserts + updates + unchanged;
    }

    public long targetRows() {
        return deletes + updates + unchanged;
    }
}
