package dev.archon.sync.cli;

import dev.archon.sync.ErrorCode;
import dev.archon.sync.db.Database;
import dev.archon.sync.migrate.MigrationOutcome;
import dev.archon.sync.migrate.MigrationReport;
import dev.archon.sync.migrate.Migrator;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code archon-sync migrate}: applies the bundled migrations and registers them. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Creates archon_sync_history (Archon migration 0.3.0/021) and applies archon-sync's hardening,",
                "registering each in archon_migrations. Idempotent. Exit 4 when a registered migration drifted."})
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions databases;

    @Option(names = "--target", defaultValue = "both", description = "local, remote or both (default: ${DEFAULT-VALUE})")
    Target target;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Migrator migrator = new Migrator();
        return PerDatabase.each(target.roles(), spec.commandLine().getErr(), role -> {
            Database db = databases.database(role);
            MigrationReport report = migrator.migrate(db);
            print(out, db, report);
            return report.hasDrift() ? ErrorCode.VERIFICATION_FAILED.exitCode() : 0;
        });
    }

    static void print(PrintWriter out, Database db, MigrationReport report) {
        out.println(db.config().describe() + ":");
        if (!report.createdRoles().isEmpty()) {
            out.println("  created missing Supabase role(s) " + String.join(", ", report.createdRoles()) + " (NOLOGIN)");
        }
        for (MigrationOutcome o : report.outcomes()) {
            out.println("  " + o.migration().key() + ": " + o.status().text());
            if (o.status() == MigrationOutcome.Status.DRIFT) {
                out.println("    registered checksum " + o.registeredChecksum() + ", bundled " + o.migration().checksum()
                        + ": not re-applied; reconcile by hand");
            }
        }
        out.println(report.unchanged() ? "  up to date: nothing changed" : "  migrated");
        out.flush();
    }
}
