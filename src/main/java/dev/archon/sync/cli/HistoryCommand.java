package dev.archon.sync.cli;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.engine.SyncEngine;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code archon-sync history}: the latest runs recorded on each database, and the stats. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Prints the latest runs recorded in each database's archon_sync_history, and get_sync_stats.")
final class HistoryCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions databases;

    @Option(names = "--limit", defaultValue = "20", description = "Runs per database (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--days", defaultValue = "7", description = "Days the stats cover (default: ${DEFAULT-VALUE})")
    int days;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        print(spec.commandLine().getOut(), new SyncEngine(databases.local(), databases.remote()), limit, days);
        return 0;
    }

    static void print(PrintWriter out, SyncEngine engine, int limit, int days) {
        for (DatabaseRole role : DatabaseRole.values()) {
            Database db = engine.database(role);
            out.println(db.config().describe() + ":");
            try (Connection c = db.open("archon-sync history")) {
                try (PreparedStatement ps = c.prepareStatement("SELECT sync_id, direction, status, to_char(started_at AT TIME ZONE"
                        + " 'UTC', 'YYYY-MM-DD HH24:MI:SS'), duration_seconds, synced_rows, percent_complete, triggered_by,"
                        + " coalesce(error_message, '') FROM public.archon_sync_history ORDER BY started_at DESC LIMIT ?")) {
                    ps.setInt(1, limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.printf("  %s  %-15s %-9s %s UTC %4ss %8s rows %3s%%  by %s %s%n", rs.getString(1), rs.getString(2),
                                    rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                                    rs.getString(8), rs.getString(9));
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT * FROM public.get_sync_stats(?)")) {
                    ps.setInt(1, days);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        out.printf("  last %d days: %d syncs, %d completed, %d failed, average %s s, %d rows synced%n", days,
                                rs.getLong("total_syncs"), rs.getLong("successful_syncs"), rs.getLong("failed_syncs"),
                                rs.getString("avg_duration_seconds"), rs.getLong("total_rows_synced"));
                    }
                }
            } catch (SQLException | ArchonSyncException e) {
                out.println("  cannot read the history: " + ArchonSyncException.firstLine(e.getMessage()));
            }
        }
        out.flush();
    }
}
