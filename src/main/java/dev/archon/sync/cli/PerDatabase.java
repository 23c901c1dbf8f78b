package dev.archon.sync.cli;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.config.DatabaseRole;
import java.io.PrintWriter;
import java.util.List;

/**
 * Runs one step on each database of a {@code --target}, going on to the next database when one
 * fails, and gives the exit code of the first failure (0 when all succeeded).
 */
final class PerDatabase {
    interface Step {
        /** Returns the exit code of the step on that database. */
        int run(DatabaseRole role);
    }

    private PerDatabase() {
    }

    static int each(List<DatabaseRole> roles, PrintWriter err, Step step) {
        int exit = 0;
        for (DatabaseRole role : roles) {
            int code;
            try {
                code = step.run(role);
            } catch (ArchonSyncException e) {
                err.println("error: " + e.getMessage());
                e.details().forEach(d -> err.println("  " + d));
                err.flush();
                code = e.code().exitCode();
            }
            if (exit == 0) {
                exit = code;
            }
        }
        return exit;
    }
}
