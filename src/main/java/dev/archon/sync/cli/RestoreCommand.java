package dev.archon.sync.cli;

import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.engine.SyncEngine;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code archon-sync restore FILE --target local|remote}. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restores a backup archive into a database, in one transaction (after backing up its current content),"
                + " recorded in its history.")
final class RestoreCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "A .archon-backup file")
    Path file;

    @Option(names = "--target", required = true, description = "local or remote")
    DatabaseRole target;

    @Mixin
    DatabaseOptions databases;

    @Mixin
    BackupOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SyncEngine engine = databases.engine();
        if (!options.yes && !RunDriver.confirm(spec, "This replaces the " + target.label() + " database's tables saved in "
                + file + " with their saved content.")) {
            return 1;
        }
        return RunDriver.execute(spec, options.json, (control, display) ->
                engine.restore(file, target, options.request(target), control, display));
    }
}
