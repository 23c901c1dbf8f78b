package dev.archon.sync.cli;

import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.engine.Direction;
import dev.archon.sync.engine.SyncRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the commands that restore a backup (restore, undo). */
final class BackupOptions {
    @Option(names = "--no-backup", description = "Do not back up the current content first")
    boolean noBackup;

    @Option(names = "--backup-dir", paramLabel = "DIR", defaultValue = "backups",
            description = "Where the backup of the current content goes (default: ${DEFAULT-VALUE})")
    Path backupDir;

    @Option(names = "--keep-backups", paramLabel = "N", defaultValue = "10", description = "Backups to keep (default: ${DEFAULT-VALUE})")
    int keepBackups;

    @Option(names = "--triggered-by", paramLabel = "TEXT", defaultValue = "CLI", description = "Recorded in triggered_by")
    String triggeredBy;

    @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait for the table locks (default: ${DEFAULT-VALUE})")
    int lockTimeoutSeconds;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation")
    boolean yes;

    @Option(names = "--json", description = "Print the final record as JSON")
    boolean json;

    SyncRequest request(DatabaseRole target) {
        return new SyncRequest(Direction.into(target), List.of(), List.of(), false, !noBackup, backupDir, keepBackups,
                triggeredBy, Duration.ofSeconds(lockTimeoutSeconds));
    }
}
