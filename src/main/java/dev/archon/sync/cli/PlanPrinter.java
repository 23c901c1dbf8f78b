package dev.archon.sync.cli;

import dev.archon.sync.engine.CheckResult;
import dev.archon.sync.engine.Preflight;
import dev.archon.sync.engine.TablePlan;
import java.io.PrintWriter;

/** Prints a preflight's checks and plan for people. */
final class PlanPrinter {
    private PlanPrinter() {
    }

    static void checks(PrintWriter out, Preflight p) {
        out.println("validation (" + p.direction() + "):");
        for (CheckResult c : p.checks()) {
            String mark = switch (c.status()) {
                case OK -> "[ok]   ";
                case WARNING -> "[warn] ";
                case ERROR -> "[FAIL] ";
            };
            out.println("  " + mark + c.name() + ": " + c.message());
            c.details().forEach(d -> out.println("         - " + d));
        }
    }

    static void plan(PrintWriter out, Preflight p) {
        out.printf("  %-40s %12s %12s %10s  %s%n", "table", "delete", "load", "MB", "copy");
        for (TablePlan t : p.tables()) {
            out.printf("  %-40s %12d %12d %10.1f  %s%s%n", t.name(), t.targetRows(), t.sourceRows(),
                    t.sourceBytes() / 1048576.0, t.binary() ? "binary" : "text", t.sensitive() ? "  (holds secrets: API keys)" : "");
        }
        out.printf("  %-40s %12d %12d %10.1f%n", "total", p.rowsToDelete(), p.rowsToLoad(), p.bytesToLoad() / 1048576.0);
        out.flush();
    }
}
