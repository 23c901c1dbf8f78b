package dev.archon.sync.cli;

import dev.archon.sync.engine.Preflight;
import dev.archon.sync.engine.SyncEngine;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code archon-sync tables}: what a sync would copy, with row counts and sizes. */
@Command(name = "tables", mixinStandardHelpOptions = true,
        description = "Lists the tables a sync in this direction would copy, with rows to delete and load and sizes.")
final class TablesCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions databases;

    @Mixin
    SyncOptions sync;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Preflight p = databases.engine().preflight(sync.request(true));
        PlanPrinter.plan(out, p);
        return 0;
    }
}
