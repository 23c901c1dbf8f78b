package dev.archon.sync.cli;

import dev.archon.sync.Json;
import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.db.Database;
import dev.archon.sync.migrate.Migrator;
import dev.archon.sync.schema.HistorySchemaVerifier;
import dev.archon.sync.schema.SchemaCheck;
import dev.archon.sync.schema.SchemaReport;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code archon-sync verify-schema}: the checklist of archon_sync_history on each database. */
@Command(name = "verify-schema", mixinStandardHelpOptions = true,
        description = "Checks archon_sync_history on each database: columns, indexes, trigger, constraints, policies,"
                + " helper functions, migrations and hardening. Exit 0 only when everything holds, else 4.")
final class VerifySchemaCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions databases;

    @Option(names = "--target", defaultValue = "both", description = "local, remote or both (default: ${DEFAULT-VALUE})")
    Target target;

    @Option(names = "--json", description = "Print the checklist as JSON")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> reports = new ArrayList<>();
        int exit = PerDatabase.each(target.roles(), spec.commandLine().getErr(), role -> {
            Database db = databases.database(role);
            SchemaReport report = verify(db);
            if (json) {
                reports.add(toMap(report));
            } else {
                print(out, db.config().describe(), report);
            }
            return report.ok() ? 0 : ErrorCode.VERIFICATION_FAILED.exitCode();
        });
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("ok", exit == 0);
            doc.put("databases", reports);
            out.println(Json.write(doc));
            out.flush();
        }
        return exit;
    }

    static SchemaReport verify(Database db) {
        try (Connection c = db.open("archon-sync verify-schema")) {
            return new HistorySchemaVerifier(new Migrator()).verify(c, db.label());
        } catch (SQLException e) {
            throw ArchonSyncException.database(ErrorCode.VERIFICATION_FAILED, "could not read the schema of the "
                    + db.label() + " database", e);
        }
    }

    static void print(PrintWriter out, String title, SchemaReport report) {
        out.println(title + ":");
        for (SchemaCheck check : report.checks()) {
            out.printf("  %-6s %s: %s%n", check.ok() ? "[ok]" : "[FAIL]", check.name(), check.summary());
            check.problems().forEach(p -> out.println("         - " + p));
            if (check.fix() != null) {
                out.println("         fix: " + check.fix());
            }
        }
        out.println(report.ok() ? "  schema OK" : "  schema INCOMPLETE");
        out.flush();
    }

    private static Map<String, Object> toMap(SchemaReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("database", report.database());
        m.put("ok", report.ok());
        List<Map<String, Object>> checks = new ArrayList<>();
        for (SchemaCheck c : report.checks()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.name());
            cm.put("ok", c.ok());
            cm.put("summary", c.summary());
            cm.put("problems", c.problems());
            cm.put("fix", c.fix());
            checks.add(cm);
        }
        m.put("checks", checks);
        return m;
    }
}
