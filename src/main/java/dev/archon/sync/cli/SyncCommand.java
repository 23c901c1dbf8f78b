package dev.archon.sync.cli;

import dev.archon.sync.ErrorCode;
import dev.archon.sync.Json;
import dev.archon.sync.engine.Preflight;
import dev.archon.sync.engine.SyncControl;
import dev.archon.sync.engine.SyncEngine;
import dev.archon.sync.engine.SyncRequest;
import dev.archon.sync.engine.SyncResult;
import dev.archon.sync.engine.TablePlan;
import dev.archon.sync.engine.TableVerification;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        SyncEngine engine = new SyncEngine(databases.local(), databases.remote());
        SyncRequest request = sync.request(dryRun);
        if (dryRun || !yes) {
            Preflight p = engine.preflight(request.withDryRun(true));
            PlanPrinter.checks(out, p);
            PlanPrinter.plan(out, p);
            if (!p.ok()) {
                out.println("refused by validation: nothing was changed");
                out.flush();
                return ErrorCode.REFUSED.exitCode();
            }
            if (dryRun) {
                out.println("dry run: nothing was changed in either database");
                out.flush();
                return 0;
            }
            if (!confirm(out, p)) {
                return ErrorCode.INVALID_ARGUMENTS.exitCode();
            }
        }
        return run(engine, request, out);
    }

    private boolean confirm(PrintWriter out, Preflight p) throws IOException {
        if (System.console() == null) {
            spec.commandLine().getErr().println("error: no terminal to confirm on: pass --yes to run without confirmation");
            spec.commandLine().getErr().flush();
            return false;
        }
        out.println();
        out.println("This deletes " + p.rowsToDelete() + " rows from " + p.tables().size() + " tables of the "
                + p.direction().target().label() + " database and loads " + p.rowsToLoad() + " rows from the "
                + p.direction().source().label() + " database.");
        p.tables().stream().filter(TablePlan::sensitive).forEach(t ->
                out.println("  " + t.name() + " holds secrets (API keys): the target's values are replaced by the source's."));
        out.print("Type yes to go on: ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (!"yes".equalsIgnoreCase(answer == null ? "" : answer.trim())) {
            out.println("not confirmed: nothing was changed");
            out.flush();
            return false;
        }
        return true;
    }

    private int run(SyncEngine engine, SyncRequest request, PrintWriter out) {
        SyncControl control = SyncControl.create();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            if (finished.getCount() > 0 && control.cancel()) {
                System.err.println("\narchon-sync: cancelling " + control.syncId() + ": rolling back...");
                try {
                    finished.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "archon-sync cancel on signal");
        Runtime.getRuntime().addShutdownHook(onSignal);
        SyncResult result;
        try (ProgressDisplay display = ProgressDisplay.create(spec.commandLine().getErr(), control.syncId())) {
            result = engine.sync(request, control, display);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the latch released above
            }
        }
        if (json) {
            out.println(Json.write(result));
        } else {
            print(out, result);
        }
        out.flush();
        return result.exitCode();
    }

    static void print(PrintWriter out, SyncResult r) {
        out.println(r.syncId() + " " + r.direction() + ": " + r.status()
                + (r.errorMessage() == null ? "" : " (" + r.errorMessage() + ")"));
        r.tables().forEach(t -> out.printf("  %-40s %10d rows %8.2f s  %s%n", t.tableName(), t.rowCount(), t.durationSeconds(),
                t.format()));
        if (!r.verification().isEmpty()) {
            long ok = r.verification().stream().filter(TableVerification::match).count();
            out.println("  verification: " + ok + "/" + r.verification().size() + " tables match (row counts and content checksums)");
        }
        out.println("  backup: " + (r.backupFile() == null ? "none (this run cannot be undone)" : r.backupFile()));
        out.println("  metrics: " + r.metrics());
    }
}
