package dev.archon.sync.backup;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.time.Instant;
import java.util.Objects;

/**
 * What a backup archive is a backup of; copied into its manifest. Immutable.
 *
 * @param databaseLabel which database the tables were saved from: "local" or "remote"; not null
 * @param serverVersion the PostgreSQL version of that database ("15.14"); null if unknown
 * @param source        what replaced the saved data, free text for people ("sync from remote
 *                      database postgres@db:5432/archon"); null if unknown; never a password
 * @param createdAt     when the backup was started; not null
 */
public record BackupInfo(String databaseLabel, String serverVersion, String source, Instant createdAt) {

    public BackupInfo {
        if (databaseLabel == null || databaseLabel.isBlank()) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "a backup needs a database label (local or remote)");
        }
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A backup started now. */
    public static BackupInfo now(String databaseLabel, String serverVersion, String source) {
        return new BackupInfo(databaseLabel, serverVersion, source, Instant.now());
    }
}
