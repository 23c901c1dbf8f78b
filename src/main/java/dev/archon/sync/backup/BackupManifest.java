package dev.archon.sync.backup;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The table of contents of a backup archive, stored as JSON (snake_case keys) at its end. Immutable.
 *
 * @param formatVersion archive format version (1)
 * @param syncId        the sync run that made the backup
 * @param createdAt     when the backup was started (ISO-8601 in the file)
 * @param serverVersion PostgreSQL version of the saved database; may be null
 * @param database      which database was saved: "local" or "remote"
 * @param source        what replaced the saved data; may be null
 * @param compression   "zstd"
 * @param entries       the saved tables, in file order
 * @param sequences     sequence (quoted, qualified) to "last_value:is_called" at backup time; may be empty
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BackupManifest(int formatVersion, String syncId, Instant createdAt, String serverVersion,
                             String database, String source, String compression, List<BackupEntry> entries,
                             Map<String, String> sequences) {

    public BackupManifest {
        entries = entries == null ? List.of() : List.copyOf(entries);
        sequences = sequences == null ? Map.of() : Map.copyOf(sequences);
    }

    /** The entry for schema.table, or null. */
    public BackupEntry entry(String schema, String table) {
        for (BackupEntry e : entries) {
            if (e.schema().equals(schema) && e.table().equals(table)) {
                return e;
            }
        }
        return null;
    }
}
