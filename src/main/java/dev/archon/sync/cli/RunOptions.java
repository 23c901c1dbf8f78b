package dev.archon.sync.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every writing run shares (sync, restore, undo): backups, triggered_by, lock timeout. */
final class RunOptions {
    @Option(names = "--no-backup", description = "Do not back up the target's current content first (the run cannot be undone)")
    boolean noBackup;

    @Option(names = "--backup-dir", paramLabel = "DIR", defaultValue = "backups",
            description = "Where backups go (default: ${DEFAULT-VALUE})")
    Path backupDir;

    @Option(names = "--keep-backups", paramLabel = "N", defaultValue = "10",
            description = "How many backups to keep in the backup directory (default: ${DEFAULT-VALUE})")
    int keepBackups;

    @Option(names = "--triggered-by", paramLabel = "TEXT", defaultValue = "CLI",
            description = "Recorded in the history's triggered_by (default: ${DEFAULT-VALUE})")
    String triggeredBy;

    @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait for the target's table locks (default: ${DEFAULT-VALUE})")
    int lockTimeoutSeconds;

    Duration lockTimeout() {
        return Duration.ofSeconds(lockTimeoutSeconds);
    }
}
