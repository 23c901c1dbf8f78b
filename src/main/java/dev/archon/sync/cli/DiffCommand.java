package dev.archon.sync.cli;

import dev.archon.sync.Json;
import dev.archon.sync.engine.DiffReport;
import dev.archon.sync.engine.Direction;
import dev.archon.sync.engine.MergeOptions;
import dev.archon.sync.engine.SyncControl;
import dev.archon.sync.engine.SyncListener;
import dev.archon.sync.engine.SyncResult;
import dev.archon.sync.engine.SyncEngine;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code archon-sync diff}: what a changes-only sync (or a bidirectional merge) would write, read-only. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Compares the source's and the target's rows and prints, per table, the rows a sync would insert,"
                + " update and delete. Read-only: nothing is written to either database, history included."})
final class DiffCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions databases;

    @Mixin
    TableOptions which;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "0",
            description = "Show up to N example keys per kind and table (updates with the columns that differ; values"
                    + " shortened, never shown for tables holding secrets); at most " + DiffReport.MAX_EXAMPLES)
    int rows;

    @Option(names = "--json", description = "Print the result as JSON")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (rows < 0 || rows > DiffReport.MAX_EXAMPLES) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rows must be between 0 and " + DiffReport.MAX_EXAMPLES);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (Direction.parse(which.direction) == Direction.BIDIRECTIONAL) {
            SyncResult plan = new SyncEngine(databases.local(), databases.remote()).merge(which.request(), MergeOptions.DEFAULT,
                    SyncControl.create(), SyncListener.NONE);
            if (json) {
                out.println(Json.write(plan));
            } else {
                out.println("diff bidirectional (a three-way merge against the last bidirectional sync; read-only, nothing was"
                        + " changed)");
                MergePrinter.print(out, plan);
            }
            out.flush();
            return 0;
        }
        DiffReport report = new SyncEngine(databases.local(), databases.remote()).diff(which.request(), rows);
        if (json) {
            out.println(Json.write(report));
        } else {
            print(out, report);
        }
        out.flush();
        return 0;
    }

    static void print(PrintWriter out, DiffReport r) {
        out.println("diff " + r.direction() + " (" + r.direction().source().label() + " -> " + r.direction().target().label()
                + "; read-only, nothing was changed)");
        out.printf("  %-42s %10s %10s %10s %10s%n", "table", "insert", "update", "delete", "unchanged");
        for (DiffReport.Table t : r.tables()) {
            out.printf("  %-42s %10d %10d %10d %10s%s%n", t.table(), t.inserts(), t.updates(), t.deletes(),
                    t.full() == null ? Long.toString(t.unchanged()) : "-", t.full() == null ? "" : "  full copy: " + t.full());
            for (Map.Entry<String, List<DiffReport.Example>> e : t.examples().entrySet()) {
                for (DiffReport.Example ex : e.getValue()) {
                    out.println("      " + e.getKey() + " " + ex.key());
                    for (Map<String, String> c : ex.columns()) {
                        out.println("          " + c.get("column") + (c.containsKey("source") ? ": " + c.get("target") + " -> "
                                + c.get("source") : " (values of a table holding secrets are not shown)"));
                    }
                }
            }
        }
        out.printf("  %-42s %10d %10d %10d%n", "total", r.inserts(), r.updates(), r.deletes());
    }
}
