package dev.archon.sync.cli;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.demo.ArchonDataset;
import dev.archon.sync.demo.EmbeddedServer;
import dev.archon.sync.demo.Scale;
import dev.archon.sync.engine.Direction;
import dev.archon.sync.engine.SyncControl;
import dev.archon.sync.engine.SyncEngine;
import dev.archon.sync.engine.SyncRequest;
import dev.archon.sync.engine.SyncResult;
import dev.archon.sync.migrate.Migrator;
import dev.archon.sync.schema.SchemaReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code archon-sync demo}: two embedded PostgreSQL servers (local and remote), migrated and
 * verified. The servers and their data are removed at the end, also on Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts two embedded PostgreSQL servers (local and remote) with an Archon-shaped schema, generates"
                + " data on the local one, migrates and verifies both, syncs local-to-remote, changes rows on the remote,",
                "syncs remote-to-local, and prints the history and stats. Everything is removed at the end."})
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Option(names = "--rows", defaultValue = "2000", paramLabel = "N",
            description = "Crawled pages to generate (default: ${DEFAULT-VALUE})")
    int rows;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<EmbeddedServer> servers = new ArrayList<>();
        Thread cleanup = new Thread(() -> stopAll(servers), "archon-sync demo cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            out.println("starting two embedded PostgreSQL servers...");
            out.flush();
            Database local = start(servers, DatabaseRole.LOCAL);
            Database remote = start(servers, DatabaseRole.REMOTE);
            out.println("  local:  " + local.config().describe());
            out.println("  remote: " + remote.config().describe());
            Migrator migrator = new Migrator();
            out.println();
            out.println("== archon-sync migrate --target both");
            for (Database db : List.of(local, remote)) {
                MigrateCommand.print(out, db, migrator.migrate(db));
            }
            out.println();
            out.println("== archon-sync verify-schema --target both");
            boolean ok = true;
            for (Database db : List.of(local, remote)) {
                SchemaReport report = VerifySchemaCommand.verify(db);
                VerifySchemaCommand.print(out, db.config().describe(), report);
                ok &= report.ok();
            }
            if (!ok) {
                out.println("demo stopped: schema problems (see above)");
                return ErrorCode.VERIFICATION_FAILED.exitCode();
            }
            return syncBothWays(out, local, remote);
        } finally {
            stopAll(servers);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
    }

    private int syncBothWays(PrintWriter out, Database local, Database remote) {
        out.println();
        out.println("== Archon-shaped schema on both; " + rows + " crawled pages (and the rest) generated on the local database");
        out.flush();
        try (Connection l = local.open("archon-sync demo"); Connection r = remote.open("archon-sync demo")) {
            ArchonDataset.createSchema(l);
            ArchonDataset.createSchema(r);
            printDataset(out, ArchonDataset.generate(l, Scale.ofRows(rows)));
        } catch (SQLException e) {
            throw ArchonSyncException.database(ErrorCode.TRANSFER_FAILED, "could not prepare the demo data", e);
        }
        Path backups;
        try {
            backups = Files.createTempDirectory("archon-sync-demo-backups");
        } catch (java.io.IOException e) {
            throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, "cannot create a backup directory: " + e.getMessage(), e);
        }
        SyncEngine engine = new SyncEngine(local, remote);
        SyncResult first = run(out, engine, Direction.LOCAL_TO_REMOTE, backups);
        if (!first.completed()) {
            return first.exitCode();
        }
        out.println();
        out.println("== changing 40 rows on the remote database (task edits, deleted pages, new code examples)");
        try (Connection r = remote.open("archon-sync demo")) {
            ArchonDataset.mutate(r, 7, 40);
        } catch (SQLException e) {
            throw ArchonSyncException.database(ErrorCode.TRANSFER_FAILED, "could not change the demo data", e);
        }
        SyncResult second = run(out, engine, Direction.REMOTE_TO_LOCAL, backups);
        deleteTree(backups);
        out.println();
        out.println("== archon-sync history");
        HistoryCommand.print(out, engine, dev.archon.sync.history.HistoryFilter.all(), 7);
        out.println();
        out.println(second.completed() ? "demo finished: both syncs completed and verified" : "demo finished with a failed sync");
        out.flush();
        return second.exitCode();
    }

    /** The generated rows per table, as an aligned table. */
    static void printDataset(PrintWriter out, dev.archon.sync.demo.DatasetStats stats) {
        out.printf("  %-32s %10s%n", "table", "rows");
        stats.rowsPerTable().forEach((table, n) -> out.printf("  %-32s %10d%n", table, n));
        out.printf("  %-32s %10d   (generated in %.1f s)%n", "total", stats.totalRows(), stats.elapsedMillis() / 1000.0);
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temporary directory: the system cleans it up eventually
        }
    }

    private static SyncResult run(PrintWriter out, SyncEngine engine, Direction direction, Path backups) {
        out.println();
        out.println("== archon-sync sync --direction " + direction + " --yes");
        out.flush();
        SyncRequest request = SyncRequest.of(direction).withBackup(true, backups).withTriggeredBy("demo");
        SyncResult result = engine.sync(request, SyncControl.create(), ProgressDisplay.create(out, "demo"));
        SyncCommand.print(out, result);
        out.flush();
        return result;
    }

    private static Database start(List<EmbeddedServer> servers, DatabaseRole role) {
        EmbeddedServer server = EmbeddedServer.start();
        synchronized (servers) {
            servers.add(server);
        }
        return new Database(server.config(role));
    }

    private static void stopAll(List<EmbeddedServer> servers) {
        synchronized (servers) {
            for (EmbeddedServer s : servers) {
                s.close();
            }
            servers.clear();
        }
    }
}
