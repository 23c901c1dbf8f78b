package dev.archon.sync.cli;

import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.engine.Direction;
import dev.archon.sync.engine.SyncRequest;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of the commands that restore a backup (restore, undo). */
final class BackupOptions {
    @Mixin
    RunOptions run;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation")
    boolean yes;

    @Option(names = "--json", description = "Print the final record as JSON")
    boolean json;

    SyncRequest request(DatabaseRole target) {
        return new SyncRequest(Direction.into(target), List.of(), List.of(), false, !run.noBackup, run.backupDir,
                run.keepBackups, run.triggeredBy, run.lockTimeout(), null);
    }
}
