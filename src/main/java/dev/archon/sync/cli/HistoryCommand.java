package dev.archon.sync.cli;

import dev.archon.sync.Json;
import dev.archon.sync.engine.SyncEngine;
import dev.archon.sync.history.HistoryFilter;
import dev.archon.sync.history.HistoryPage;
import dev.archon.sync.history.HistoryReader;
import dev.archon.sync.history.HistoryStats;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code archon-sync history}: the latest runs of both databases, newest first, and the stats. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Prints the latest runs recorded in both databases' archon_sync_history, and their combined stats.")
final class HistoryCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions databases;

    @Option(names = "--limit", defaultValue = "20", description = "Runs to show (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--status", description = "Only runs with this status (running, completed, failed, cancelled)")
    String status;

    @Option(names = "--direction", description = "Only runs in this direction")
    String direction;

    @Option(names = "--days", defaultValue = "7", description = "Days the stats cover (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--json", description = "Print the runs as a JSON array (each with its operation: sync, restore or undo)")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SyncEngine engine = databases.engine();
        HistoryFilter filter = new HistoryFilter(limit, 0, status, direction, null, HistoryFilter.DEFAULT_SORT, false);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            HistoryPage page = reader(engine).list(filter);
            out.println(Json.write(page.records()));
            out.flush();
            page.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
            spec.commandLine().getErr().flush();
        } else {
            print(out, engine, filter, days);
        }
        return 0;
    }

    private static HistoryReader reader(SyncEngine engine) {
        return new HistoryReader(engine.database(dev.archon.sync.config.DatabaseRole.LOCAL),
                engine.database(dev.archon.sync.config.DatabaseRole.REMOTE));
    }

    static void print(PrintWriter out, SyncEngine engine, HistoryFilter filter, int days) {
        HistoryReader reader = reader(engine);
        HistoryPage page = reader.list(filter);
        out.printf("%-26s %-8s %-15s %-9s %-8s %-20s %6s %9s %4s  %s%n", "sync_id", "op", "direction", "status", "recorded",
                "started (UTC)", "secs", "rows", "%", "triggered by / error");
        for (Map<String, Object> r : page.records()) {
            String started = String.valueOf(r.get("started_at"));
            boolean sync = "sync".equals(r.get("operation"));
            String direction = sync ? String.valueOf(r.get("direction")) : "into " + r.get("target_db");
            String triggered = r.get("undone_sync_id") == null ? text(r.get("triggered_by"))
                    : text(r.get("triggered_by")) + ", undid " + r.get("undone_sync_id");
            out.printf("%-26s %-8s %-15s %-9s %-8s %-20s %6s %9s %4s  %s%n", r.get("sync_id"), r.get("operation"), direction,
                    r.get("status"),
                    r.get("database"), started.length() > 19 ? started.substring(0, 19).replace('T', ' ') : started,
                    text(r.get("duration_seconds")), text(r.get("synced_rows")), text(r.get("percent_complete")),
                    r.get("error_message") == null ? triggered : r.get("error_message"));
        }
        out.println(page.total() + " run(s) in all");
        HistoryStats s = reader.stats(days);
        out.printf("last %d days: %d syncs, %d completed, %d failed, success rate %s%%, average %s s, %d rows synced"
                + " (%d local-to-remote, %d remote-to-local); %d restore/undo run(s) apart, %d rows restored%n", s.days(),
                s.totalSyncs(), s.successfulSyncs(), s.failedSyncs(), text(s.successRate()), text(s.avgDurationSeconds()),
                s.totalRowsSynced(), s.localToRemoteCount(), s.remoteToLocalCount(), s.restoreRuns(), s.rowsRestored());
        page.warnings().forEach(w -> out.println("warning: " + w));
        out.flush();
    }

    private static String text(Object o) {
        return Objects.toString(o, "-");
    }
}
