package dev.archon.sync.engine;

/**
 * The comparison of one table after loading (an entry of verification_results).
 *
 * @param tableName      "public.archon_tasks"
 * @param sourceRows     rows in the source snapshot
 * @param targetRows     rows on the target, inside the import transaction
 * @param sourceChecksum content checksum of the source snapshot
 * @param targetChecksum content checksum of the target
 * @param match          counts and checksums equal
 * @param binary         whether the checksums hash rows in binary form (see ContentChecksum)
 */
public record TableVerification(String tableName, long sourceRows, long targetRows, String sourceChecksum,
                                String targetChecksum, boolean match, boolean binary) {
}
