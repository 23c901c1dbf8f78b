package dev.archon.sync.cli;

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

/** SIGTERM to a real archon-sync process mid-copy: rolled back, exit 5, recorded as cancelled. */
class SignalIT {
    @Test
    void sigtermMidCopyRollsBackAndExitsFive(@TempDir Path dir) throws Exception {
        Database local = TestServers.freshDatabase(Version.PG15, DatabaseRole.LOCAL);
        Database remote = TestServers.freshDatabase(Version.PG15, DatabaseRole.REMOTE);
        String ddl = "CREATE TABLE archon_big (id bigserial PRIMARY KEY, payload text);";
        for (Database db : List.of(local, remote)) {
            new Migrator().migrate(db);
            try (Connection c = db.open("test")) {
                Sql.execute(c, ddl);
            }
        }
        try (Connection c = local.open("test")) {
            Sql.execute(c, "INSERT INTO archon_big (payload) SELECT repeat(md5(g::text), 8) FROM generate_series(1, 600000) g");
        }
        try (Connection c = remote.open("test")) {
            Sql.execute(c, "INSERT INTO archon_big (payload) SELECT 'old' FROM generate_series(1, 10)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "sync",
                "--direction", "local-to-remote", "--yes", "--local", CliIT.uri(local), "--remote", CliIT.uri(remote),
                "--backup-dir", dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        long deadline = System.currentTimeMillis() + 60_000;
        boolean copying = false;
        try (Connection c = remote.open("test")) {
            while (!copying && System.currentTimeMillis() < deadline && p.isAlive()) {
                copying = Sql.queryLong(c, "SELECT count(*) FROM pg_stat_progress_copy p JOIN pg_stat_activity a ON a.pid = p.pid"
                        + " WHERE a.application_name = 'archon-sync import' AND p.tuples_processed > 1000") > 0;
                Thread.sleep(20);
            }
        }
        assertTrue(copying, "the sync reached the copy: " + Files.readString(dir.resolve("out.txt")));
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String output = Files.readString(dir.resolve("out.txt"));
        assertEquals(5, p.exitValue(), output);
        try (Connection c = remote.open("test")) {
            assertEquals(10, Sql.queryLong(c, "SELECT count(*) FROM archon_big"), "target unchanged");
            assertEquals("cancelled", Sql.queryString(c, "SELECT status FROM archon_sync_history"));
        }
    }
}
