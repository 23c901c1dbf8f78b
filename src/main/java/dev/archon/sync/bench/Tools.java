package dev.archon.sync.bench;

import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Helpers shared by the contenders: finding client tools, their versions, emptying the target. */
final class Tools {
    private Tools() {
    }

    /** The executable {@code name} on PATH, or null. */
    static Path onPath(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The first line {@code command} prints (stdout, else stderr), or "unavailable". */
    static String version(List<String> command, Path scratch) {
        try {
            ChildProcess.Result r = ChildProcess.pipeline(List.of(command), Map.of(), scratch);
            String text = (r.stdout() + "\n" + r.stderr()).strip();
            for (String line : text.split("\n")) {
                if (!line.isBlank() && !line.contains(" INFO ")) {
                    return line.strip();
                }
            }
            return "unknown";
        } catch (IOException e) {
            return "unavailable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** Empties the set on the target in one statement; returns the time it took in ms. */
    static long truncate(DatabaseConfig target) throws SQLException {
        long start = System.nanoTime();
        try (Connection c = new Database(target).open("archon-sync bench truncate")) {
            Sql.execute(c, BenchTables.truncateSql());
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * Makes the set in {@code target} equal to {@code source}'s (not timed: preparing a scenario):
     * TRUNCATE, then {@code pg_dump --data-only | pg_restore --data-only --single-transaction}.
     */
    static void copyData(DatabaseConfig source, DatabaseConfig target, Path scratch) throws Exception {
        List<String> dump = new java.util.ArrayList<>(List.of("pg_dump", "-Fc", "--data-only", "-d", source.toUriWithPassword()));
        for (String t : BenchTables.LOAD_ORDER) {
            dump.add("-t");
            dump.add("public." + t);
        }
        truncate(target);
        ChildProcess.Result r = ChildProcess.pipeline(List.of(dump, List.of("pg_restore", "--data-only", "--single-transaction",
                "--exit-on-error", "-d", target.toUriWithPassword())), Map.of(), scratch.resolve("archon-sync-bench-copy"));
        check("pg_dump|pg_restore (preparing " + target.database() + ")", r);
        List<String> diffs = ContentCheck.differences(source, target);
        if (!diffs.isEmpty()) {
            throw new IllegalStateException("the copy made to prepare " + target.database() + " differs: " + diffs);
        }
    }

    /** Throws with the tool's own words when it failed. */
    static void check(String tool, ChildProcess.Result r) {
        if (!r.ok()) {
            throw new IllegalStateException(tool + " exited with " + r.exitCode() + ": " + r.stderr().strip());
        }
    }
}
