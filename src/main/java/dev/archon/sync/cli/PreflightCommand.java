package dev.archon.sync.cli;

import dev.archon.sync.ErrorCode;
import dev.archon.sync.Json;
import dev.archon.sync.engine.Preflight;
import dev.archon.sync.engine.SyncEngine;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code archon-sync preflight}: the validation phase alone. */
@Command(name = "preflight", mixinStandardHelpOptions = true,
        description = "Runs the sync's validation and prints the plan; changes nothing. Exit 6 when the sync would be refused.")
final class PreflightCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions databases;

    @Mixin
    SyncOptions sync;

    @Option(names = "--json", description = "Print the result as JSON")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Preflight p = databases.engine().preflight(sync.request(true));
        if (json) {
            out.println(Json.write(p));
        } else {
            PlanPrinter.checks(out, p);
            PlanPrinter.plan(out, p);
            out.println(p.ok() ? "the sync may run" : "the sync would be refused");
        }
        out.flush();
        return p.ok() ? 0 : ErrorCode.REFUSED.exitCode();
    }
}
