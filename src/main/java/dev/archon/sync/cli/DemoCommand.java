package dev.archon.sync.cli;

import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.demo.EmbeddedServer;
import dev.archon.sync.migrate.Migrator;
import dev.archon.sync.schema.SchemaReport;
import java.io.PrintWriter;
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
        description = "Starts two embedded PostgreSQL servers (local and remote), migrates both and verifies their schema.")
final class DemoCommand implements Callable<Integer> {
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
            out.println();
            out.println(ok ? "demo finished: both databases carry archon_sync_history as specified"
                    : "demo finished with schema problems (see above)");
            out.flush();
            return ok ? 0 : 4;
        } finally {
            stopAll(servers);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
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
