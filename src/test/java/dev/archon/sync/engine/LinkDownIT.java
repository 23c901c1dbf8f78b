package dev.archon.sync.engine;

import static dev.archon.sync.engine.EngineFixture.content;
import static dev.archon.sync.engine.EngineFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.LinkFailures;
import dev.archon.sync.db.LinkTimeout;
import dev.archon.sync.db.Sql;
import dev.archon.sync.migrate.Migrator;
import dev.archon.sync.net.NetNamespace;
import dev.archon.sync.testing.TestServers;
import dev.archon.sync.testing.TestServers.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real silent link: the remote server runs in a network namespace whose veth link is taken down
 * mid-run, so packets vanish without any RST or FIN. archon-sync must end the run within the link
 * timeout, and the server, on its own keepalives, must end the run's backend and release the locks
 * within the same bound. Skipped (with the reason) where namespaces are unavailable.
 */
class LinkDownIT {
    /** Small in CI; -Darchon.test.link-timeout=60 measures the default. */
    static final LinkTimeout BOUND = new LinkTimeout(Integer.getInteger("archon.test.link-timeout", 4));
    /** Slack over the bound: probes are whole seconds apart, the server checks every interval, the 2-core machine is shared. */
    static final double SLACK_SECONDS = 6;
    private static NetNamespace ns;

    @BeforeAll
    static void startRemoteInNamespace() throws IOException {
        String reason = NetNamespace.unavailableReason();
        assumeTrue(reason == null, reason);
        TestServers.server(Version.PG15); // extracts the binaries
        ns = NetNamespace.start(pg15Bin());
    }

    @AfterAll
    static void removeNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    /** The extracted embedded PostgreSQL 15 binaries. */
    private static Path pg15Bin() throws IOException {
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                Path bin = d.resolve("bin");
                Process p = new ProcessBuilder(bin.resolve("postgres").toString(), "-V").redirectErrorStream(true).start();
                if (new String(p.getInputStream().readAllBytes()).contains(" 15.")) {
                    return bin;
                }
            }
        }
        throw new IOException("no extracted PostgreSQL 15 binaries under " + root);
    }

    private static Database remote(String database) {
        return new Database(new DatabaseConfig(DatabaseRole.REMOTE, ns.serverIp(), 5432, database, "postgres", null, Map.of(),
                "namespace server"), BOUND);
    }

    /** Pids of the namespace server's backends of an application, seen over its Unix socket. */
    private static String backends(String application) throws IOException {
        return ns.sqlInside("SELECT string_agg(pid::text, ',') FROM pg_stat_activity WHERE application_name = '" + application + "'");
    }

    /** Seconds from {@code startNanos} until the server has no backend of the application (or -1 after a minute past the bound). */
    private static double secondsUntilGone(String application, long startNanos) throws IOException, InterruptedException {
        while (System.nanoTime() - startNanos < TimeUnit.SECONDS.toNanos(BOUND.seconds() + 60)) {
            if (backends(application).isEmpty()) {
                return (System.nanoTime() - startNanos) / 1e9;
            }
            Thread.sleep(100);
        }
        return -1;
    }

    /** Measures, from now on and in parallel, how long until the server has no backend of the application. */
    private static CompletableFuture<Double> serverGone(String application, long downNanos) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return secondsUntilGone(application, downNanos);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void longServerSideStatementIsNotMistakenForASilentLink() throws SQLException {
        try (Connection c = remote("postgres").open("archon-sync long statement")) {
            long start = System.nanoTime();
            int seconds = Math.max(10, BOUND.seconds() + 10);
            Sql.execute(c, "SELECT pg_sleep(" + seconds + ")");
            assertTrue((System.nanoTime() - start) / 1e9 >= seconds, "the statement ran to its end");
            // milliseconds, shown without a unit
            assertEquals(String.valueOf(BOUND.seconds() * 1000), Sql.queryString(c, "SHOW tcp_user_timeout"));
            assertEquals(String.valueOf(BOUND.idle()), Sql.queryString(c, "SHOW tcp_keepalives_idle").replace("s", ""));
        }
    }

    @Test
    void linkDownWhileWaitingForTheServerEndsBothSidesWithinTheBound() throws Exception {
        Database db = remote("postgres");
        try (Connection c = db.open("archon-sync waiting")) {
            CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    Sql.execute(c, "SELECT pg_sleep(600)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            Thread.sleep(1000);
            long down = System.nanoTime();
            ns.linkDown();
            CompletableFuture<Double> serverGone = serverGone("archon-sync waiting", down);
            try {
                Throwable failure = waiting.get(BOUND.seconds() + 60, TimeUnit.SECONDS);
                double client = (System.nanoTime() - down) / 1e9;
                assertNotNull(failure, "the statement failed");
                assertNotNull(LinkFailures.silentLink(failure), "a silent link: " + failure);
                double server = serverGone.get(BOUND.seconds() + 60, TimeUnit.SECONDS);
                System.out.printf("link down while waiting: client gave up after %.1f s, server ended the backend after %.1f s"
                        + " (bound %d s)%n", client, server, BOUND.seconds());
                assertTrue(client < BOUND.seconds() + SLACK_SECONDS, "client detection took " + client + " s");
                assertTrue(server >= 0 && server < BOUND.seconds() + SLACK_SECONDS, "server detection took " + server + " s");
            } finally {
                ns.linkUp();
            }
        }
    }

    @Test
    void linkDownDuringImportFailsTheRunAndTheServerReleasesTheLocks() throws Exception {
        Database local = TestServers.freshDatabase(Version.PG15, DatabaseRole.LOCAL);
        String name = "sync_" + System.nanoTime();
        try (Connection c = remote("postgres").open("test")) {
            Sql.execute(c, "CREATE DATABASE " + name);
        }
        Database target = remote(name);
        new Migrator().migrate(local);
        new Migrator().migrate(target);
        String ddl = "CREATE TABLE archon_big (id bigserial PRIMARY KEY, payload text, n int);";
        sql(local, ddl + " INSERT INTO archon_big (payload, n) SELECT repeat(md5(g::text), 8), g FROM generate_series(1, 300000) g");
        sql(target, ddl + " INSERT INTO archon_big (payload, n) SELECT 'old', g FROM generate_series(1, 1000) g");
        Map<String, String> before = content(target);
        CompletableFuture<SyncResult> run = CompletableFuture.supplyAsync(() -> new SyncEngine(local, target).sync(
                SyncRequest.of(Direction.LOCAL_TO_REMOTE).withBackup(false, null), SyncControl.create(), SyncListener.NONE));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ns.sqlInside("SELECT coalesce(sum(tuples_processed), 0) FROM pg_stat_progress_copy").equals("0")) {
            assertTrue(System.nanoTime() < deadline, "the import started");
            Thread.sleep(20);
        }
        long down = System.nanoTime();
        ns.linkDown();
        CompletableFuture<Double> serverGone = serverGone("archon-sync import", down);
        try {
            SyncResult r = run.get(BOUND.seconds() + 90, TimeUnit.SECONDS);
            double client = (System.nanoTime() - down) / 1e9;
            double server = serverGone.get(BOUND.seconds() + 90, TimeUnit.SECONDS);
            String locks = ns.sqlInside("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                    + " WHERE d.datname = '" + name + "' AND l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'");
            System.out.printf("link down during import: run ended after %.1f s, server ended the import backend after %.1f s"
                    + " (bound %d s)%n", client, server, BOUND.seconds());
            assertEquals(3, r.exitCode(), r.errorMessage());
            assertTrue(r.errorMessage().contains("the link to the remote database went silent (no packets for "
                    + BOUND.seconds() + " s)"),
                    r.errorMessage());
            assertTrue(client < BOUND.seconds() + SLACK_SECONDS, "run ended " + client + " s after the link went down");
            assertTrue(server >= 0 && server < BOUND.seconds() + SLACK_SECONDS, "server ended the backend after " + server + " s");
            assertEquals("0", locks, "no ACCESS EXCLUSIVE lock left on the target");
        } finally {
            ns.linkUp();
        }
        assertEquals(before, content(target));
    }

    @Test
    void unreachableAfterRetriesFailsWithExitTwo() {
        Database nowhere = new Database(new DatabaseConfig(DatabaseRole.REMOTE, ns.serverIp(), 5433, "postgres", "postgres",
                null, Map.of(), "namespace server"), BOUND);
        long start = System.nanoTime();
        var e = assertThrows(dev.archon.sync.ArchonSyncException.class, () -> nowhere.open("test"));
        assertTrue(e.getMessage().contains("tried 3 times"), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1e9 >= 3, "backed off 1 s then 2 s");
        assertEquals(2, e.code().exitCode());
    }
}
