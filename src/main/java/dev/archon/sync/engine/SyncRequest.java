package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a sync should do. Immutable; validated on construction.
 *
 * @param direction   local-to-remote or remote-to-local (bidirectional is not supported yet)
 * @param tables      names or glob patterns of the tables to sync; empty = the default set
 * @param exclude     names or glob patterns to leave out
 * @param dryRun      validate and plan only: nothing is written to either database
 * @param backup      take a backup of the target's tables before replacing them
 * @param backupDir   where backups go
 * @param keepBackups how many backups to keep in backupDir (older ones are deleted), at least 1
 * @param triggeredBy recorded in archon_sync_history.triggered_by
 * @param lockTimeout how long to wait for the target's table locks
 * @param mode        how tables are written: auto (default), changes or full
 */
public record SyncRequest(Direction direction, List<String> tables, List<String> exclude, boolean dryRun, boolean backup,
                          Path backupDir, int keepBackups, String triggeredBy, Duration lockTimeout, SyncMode mode) {
    public static final Path DEFAULT_BACKUP_DIR = Path.of("backups");
    public static final int DEFAULT_KEEP_BACKUPS = 10;
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);
    public static final String DEFAULT_TRIGGERED_BY = "CLI";

    public SyncRequest {
        if (direction == null) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "a direction is required: local-to-remote or remote-to-local");
        }
        if (direction == Direction.BIDIRECTIONAL) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS,
                    "bidirectional sync is not available yet: run local-to-remote or remote-to-local");
        }
        tables = List.copyOf(tables == null ? List.of() : tables);
        exclude = List.copyOf(exclude == null ? List.of() : exclude);
        backupDir = backupDir == null ? DEFAULT_BACKUP_DIR : backupDir;
        if (keepBackups < 1) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "--keep-backups must be at least 1 (use --no-backup to skip backups)");
        }
        triggeredBy = triggeredBy == null || triggeredBy.isBlank() ? DEFAULT_TRIGGERED_BY : triggeredBy;
        lockTimeout = lockTimeout == null ? DEFAULT_LOCK_TIMEOUT : lockTimeout;
        mode = mode == null ? SyncMode.AUTO : mode;
        if (lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "--lock-timeout must be positive");
        }
    }

    /** A request with every default but the direction. */
    public static SyncRequest of(Direction direction) {
        return new SyncRequest(direction, List.of(), List.of(), false, true, DEFAULT_BACKUP_DIR, DEFAULT_KEEP_BACKUPS,
                DEFAULT_TRIGGERED_BY, DEFAULT_LOCK_TIMEOUT, SyncMode.AUTO);
    }

    public SyncRequest withDryRun(boolean value) {
        return new SyncRequest(direction, tables, exclude, value, backup, backupDir, keepBackups, triggeredBy, lockTimeout, mode);
    }

    public SyncRequest withBackup(boolean value, Path dir) {
        return new SyncRequest(direction, tables, exclude, dryRun, value, dir, keepBackups, triggeredBy, lockTimeout, mode);
    }

    public SyncRequest withTables(List<String> include, List<String> leaveOut) {
        return new SyncRequest(direction, include, leaveOut, dryRun, backup, backupDir, keepBackups, triggeredBy, lockTimeout, mode);
    }

    public SyncRequest withMode(SyncMode value) {
        return new SyncRequest(direction, tables, exclude, dryRun, backup, backupDir, keepBackups, triggeredBy, lockTimeout, value);
    }

    public SyncRequest withTriggeredBy(String value) {
        return new SyncRequest(direction, tables, exclude, dryRun, backup, backupDir, keepBackups, value, lockTimeout, mode);
    }
}
