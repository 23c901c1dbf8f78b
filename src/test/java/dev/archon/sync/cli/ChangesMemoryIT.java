package dev.archon.sync.cli;

import static dev.archon.sync.cli.CliIT.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import dev.archon.sync.migrate.Migrator;
import dev.archon.sync.testing.TestServers;
import dev.archon.sync.testing.TestServers.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing in a changes-only sync grows with the table in memory: a 2,000,000-row table with
 * 100,000 changed rows is compared and synced by a JVM with a 32 MiB heap (row hashes and keys
 * are spilled to disk), which would die of OutOfMemoryError holding even one object per row.
 */
class ChangesMemoryIT {
    private static final int ROWS = 2_000_000;
    private static final String HEAP = "-Xmx32m";

    @TempDir
    Path dir;

    @Test
    void aMultiMillionRowTableIsComparedAndSyncedInA32MiBHeap() throws Exception {
        Database local = TestServers.freshDatabase(Version.PG15, DatabaseRole.LOCAL);
        Database remote = TestServers.freshDatabase(Version.PG15, DatabaseRole.REMOTE);
        new Migrator().migrate(local);
        new Migrator().migrate(remote);
        String ddl = "CREATE TABLE archon_narrow (id bigint PRIMARY KEY, n int);"
                + " INSERT INTO archon_narrow SELECT g, g FROM generate_series(1, " + ROWS + ") g;";
        exec(local, ddl + " UPDATE archon_narrow SET n = -n WHERE id % 40 = 0; DELETE FROM archon_narrow WHERE id % 40 = 1;"
                + " INSERT INTO archon_narrow SELECT g, g FROM generate_series(" + (ROWS + 1) + ", " + (ROWS + 50_000) + ") g");
        exec(remote, ddl);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), HEAP, "-XX:+UseSerialGC", "-cp", classpath,
                Main.class.getName(), "sync", "--direction", "local-to-remote", "--mode", "changes", "--yes", "--no-backup",
                "--local", uri(local), "--remote", uri(remote)))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
        assertTrue(child.waitFor(300, TimeUnit.SECONDS), "the child JVM did not finish in time");
        String log = Files.readString(dir.resolve("child.log"));
        assertEquals(0, child.exitValue(), log);
        assertTrue(log.contains("completed"), log);
        // table, mode, written, inserted, updated, deleted
        assertTrue(log.matches("(?s).*archon_narrow\\s+changes\\s+150000\\s+50000\\s+50000\\s+50000\\s.*"), log);
        assertEquals(count(local, "SELECT sum(n::bigint * id) FROM archon_narrow"), count(remote, "SELECT sum(n::bigint * id) FROM archon_narrow"));
    }

    private static void exec(Database db, String sql) throws Exception {
        try (Connection c = db.open("test")) {
            Sql.execute(c, sql);
        }
    }

    private static long count(Database db, String sql) throws Exception {
        try (Connection c = db.open("test")) {
            return Sql.queryLong(c, sql);
        }
    }
}
