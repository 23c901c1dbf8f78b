package dev.archon.sync.backup;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@link BackupReader#validate(Path)}: a result, not an exception. Immutable.
 *
 * @param file           the archive checked
 * @param ok             true if the whole file is intact
 * @param manifestSha256 SHA-256 of the manifest, or null if it could not be read
 * @param problems       problems with the file as a whole (truncated, not an archive, layout), one line each
 * @param entries        one check per manifest entry, in file order; empty if the manifest could not be read
 */
public record ValidationReport(Path file, boolean ok, String manifestSha256, List<String> problems,
                               List<EntryCheck> entries) {

    public ValidationReport {
        problems = List.copyOf(problems);
        entries = List.copyOf(entries);
    }

    /**
     * The check of one entry.
     *
     * @param schema         schema name
     * @param table          table name
     * @param rowCount       rows according to the manifest
     * @param expectedSha256 SHA-256 listed in the manifest
     * @param actualSha256   SHA-256 of the bytes read, or null if they could not be read to the end
     * @param expectedBytes  uncompressed length listed in the manifest
     * @param actualBytes    uncompressed bytes read
     * @param ok             true if the entry is intact
     * @param problems       what is wrong with it, one line each
     */
    public record EntryCheck(String schema, String table, long rowCount, String expectedSha256, String actualSha256,
                             long expectedBytes, long actualBytes, boolean ok, List<String> problems) {

        public EntryCheck {
            problems = List.copyOf(problems);
        }
    }
}
