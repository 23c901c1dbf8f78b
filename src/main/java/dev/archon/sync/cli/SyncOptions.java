package dev.archon.sync.cli;

import dev.archon.sync.engine.Direction;
import dev.archon.sync.engine.SyncMode;
import dev.archon.sync.engine.SyncRequest;
import java.util.List;
import picocli.CommandLine.Mixin;
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

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (default: per table, only the changed rows, or a full copy when the target table is empty or"
                    + " mostly different), changes (only the changed rows) or full (every row)")
    String mode;

    @Mixin
    RunOptions run;

    SyncRequest request(boolean dryRun) {
        return new SyncRequest(Direction.parse(direction), tables, exclude, dryRun, !run.noBackup, run.backupDir,
                run.keepBackups, run.triggeredBy, run.lockTimeout(), SyncMode.parse(mode));
    }
}
