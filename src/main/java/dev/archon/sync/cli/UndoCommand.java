package dev.archon.sync.cli;

import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.engine.SyncEngine;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code archon-sync undo SYNC_ID}. */
@Command(name = "undo", mixinStandardHelpOptions = true,
        description = {"Restores the backup a completed run took, bringing its target back to what it was before the run.",
                "Refused (exit 6) when the target changed since the run, unless --force."})
final class UndoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SYNC_ID", description = "The run to undo, e.g. sync_20260112_143022_ab12")
    String syncId;

    @Option(names = "--force", description = "Undo even if the target changed since the run (its current content is backed up first)")
    boolean force;

    @Mixin
    DatabaseOptions databases;

    @Mixin
    BackupOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SyncEngine engine = databases.engine();
        if (!options.yes && !RunDriver.confirm(spec, "This brings the target of " + syncId + " back to its content before that run.")) {
            return 1;
        }
        DatabaseRole role = engine.targetOf(syncId);
        return RunDriver.execute(spec, options.json, (control, display) ->
                engine.undo(syncId, force, options.request(role), control, display));
    }
}
