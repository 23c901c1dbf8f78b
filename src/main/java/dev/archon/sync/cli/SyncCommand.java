package dev.archon.sync.cli;

import dev.archon.sync.ErrorCode;
import dev.archon.sync.Json;
import dev.archon.sync.engine.DiffReport;
import dev.archon.sync.engine.Preflight;
import dev.archon.sync.engine.SyncMode;
import dev.archon.sync.engine.SyncEngine;
import dev.archon.sync.engine.SyncRequest;
import dev.archon.sync.engine.SyncResult;
import dev.archon.sync.engine.TablePlan;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code archon-sync sync}: a one-way full sync. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Makes the target's Archon tables identical to the source's, in one transaction, with a backup"
                + " and verification, recorded in the target's archon_sync_history.",
                "Ctrl-C or SIGTERM before the commit rolls back: the target stays as it was."})
final class SyncCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions databases;

    @Mixin
    SyncOptions sync;

    @Option(names = "--dry-run", description = "Validate and print the plan; change nothing in either database")
    boolean dryRun;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation")
    boolean yes;

    @Option(names = "--json", description = "Print the final record as JSON")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SyncEngine engine = databases.engine();
        SyncRequest request = sync.request(dryRun);
        if (dryRun || !yes) {
            Preflight p = engine.preflight(request.withDryRun(true));
            if (dryRun && json) {
                java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
                doc.put("dry_run", true);
                doc.put("changed", false);
                doc.put("preflight", p);
                out.println(Json.write(doc));
                out.flush();
                return p.ok() ? 0 : ErrorCode.REFUSED.exitCode();
            }
            // With --json, stdout holds only the JSON record: the plan to confirm goes to stderr.
            PrintWriter plan = json ? spec.commandLine().getErr() : out;
            PlanPrinter.checks(plan, p);
            PlanPrinter.plan(plan, p);
            if (!p.ok()) {
                plan.println("refused by validation: nothing was changed");
                plan.flush();
                return ErrorCode.REFUSED.exitCode();
            }
            if (dryRun) {
                out.println("dry run: nothing was changed in either database");
                out.flush();
                return 0;
            }
            if (!confirm(plan, p, request.mode() == SyncMode.FULL ? null : engine.diff(request, p, 0))) {
                return ErrorCode.INVALID_ARGUMENTS.exitCode();
            }
        }
        return run(engine, request, out);
    }

    private boolean confirm(PrintWriter out, Preflight p, DiffReport diff) {
        out.println();
        if (diff == null) {
            out.println("This deletes " + p.rowsToDelete() + " rows from " + p.tables().size() + " tables of the "
                    + p.direction().target().label() + " database and loads " + p.rowsToLoad() + " rows from the "
                    + p.direction().source().label() + " database.");
        } else {
            DiffCommand.print(out, diff);
            out.println();
            out.println("This inserts " + diff.inserts() + ", updates " + diff.updates() + " and deletes " + diff.deletes()
                    + " rows in the " + p.direction().target().label() + " database (tables marked 'full copy' are replaced"
                    + " whole).");
        }
        p.tables().stream().filter(TablePlan::sensitive).forEach(t ->
                out.println("  " + t.name() + " holds secrets (API keys): the target's values are replaced by the source's."));
        return RunDriver.confirm(spec, "");
    }

    private int run(SyncEngine engine, SyncRequest request, PrintWriter out) {
        return RunDriver.execute(spec, json, (control, display) -> engine.sync(request, control, display));
    }

    static void print(PrintWriter out, SyncResult r) {
        ResultPrinter.print(out, r);
    }
}
