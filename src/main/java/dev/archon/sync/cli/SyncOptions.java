package dev.archon.sync.cli;

import dev.archon.sync.engine.Direction;
import dev.archon.sync.engine.SyncRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that describe a sync (shared by sync, preflight and tables). */
final class SyncOptions {
    @Option(names = {"-d", "--direction"}, required = true, paramLabel = "DIRECTION",
            description = "local-to-remote or remote-to-local")
    String direction;

    @Option(names = "--tables", split = ",", paramLabel = "NAME",
            description = "Tables to sync (names or globs such as 'archon_*'); default: every archon_* table but the history,"
                    + " MCP sessions and migrations")
    List<String> tables = List.of();

    @Option(names = "--exclude", split = ",", paramLabel = "NAME", description = "Tables to leave out (names or globs)")
    List<String> exclude = List.of();

    @Option(names = "--no-backup", description = "Do not back up the target's tables first (the run cannot be undone)")
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

    SyncRequest request(boolean dryRun) {
        return new SyncRequest(Direction.parse(direction), tables, exclude, dryRun, !noBackup, backupDir, keepBackups,
                triggeredBy, Duration.ofSeconds(lockTimeoutSeconds));
    }
}
