package dev.archon.sync.cli;

import dev.archon.sync.engine.Direction;
import dev.archon.sync.engine.SyncMode;
import dev.archon.sync.engine.SyncRequest;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that describe a sync (shared by sync, preflight and tables). */
final class SyncOptions {
    @Mixin
    TableOptions which;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (default: per table, only the changed rows, or a full copy when the target table is empty or"
                    + " mostly different), changes (only the changed rows) or full (every row)")
    String mode;

    @Mixin
    RunOptions run;

    SyncRequest request(boolean dryRun) {
        return new SyncRequest(Direction.parse(which.direction), which.tables, which.exclude, dryRun, !run.noBackup, run.backupDir,
                run.keepBackups, run.triggeredBy, run.lockTimeout(), SyncMode.parse(mode));
    }
}
