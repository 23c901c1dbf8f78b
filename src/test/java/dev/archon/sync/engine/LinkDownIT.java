package dev.archon.sync.engine;

import static dev.archon.sync.engine.EngineFixture.content;
import static dev.archon.sync.engine.EngineFixture.historyRow;
import static dev.archon.sync.engine.EngineFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.archon.sync.ArchonSyncException;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real silent link: the remote server runs in a network namespace whose veth link is taken down
 * mid-run, so packets vanish without any RST or FIN. In every phase of every kind of run
 * ({@link SilentPhase}), archon-sync must end the run within the link timeout, saying so, with both
 * databases unchanged, and the server, on its own keepalives, must end the run's sessions and
 * release their locks within the same bound; during COMMIT, the run must say the outcome is unknown.
 * Skipped (with the reason) where namespaces are unavailable.
 */
class LinkDownIT {
    /** Small in CI; -Darchon.test.link-timeout=60 measures the default. */
    static final LinkTimeout BOUND = new LinkTimeout(Integer.getInteger("archon.test.link-timeout", 4));
    /** Slack over the bound: probes are whole seconds apart, the server checks every interval, the 2-core machine is shared. */
    static final double SLACK_SECONDS = 6;
    /**
     * When the silent database holds the run's history, the run then tries once to record its outcome
     * there on a new connection (the host gives up resolving the address after about 3 s).
     */
    static final double RECORD_SECONDS = 4;
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

    /** Pids of the namespace server's backends of applications LIKE the pattern (in a database, or any), seen over its Unix socket. */
    private static String backends(String application, String database) throws IOException {
        return ns.sqlInside("SELECT string_agg(pid::text, ',') FROM pg_stat_activity WHERE application_name LIKE '" + application
                + "'" + (database == null ? "" : " AND datname = '" + database + "'"));
    }

    /** Seconds from {@code startNanos} until the server has no such backend (or -1 after a minute past the bound). */
    private static double secondsUntilGone(String application, String database, long startNanos)
            throws IOException, InterruptedException {
        while (System.nanoTime() - startNanos < TimeUnit.SECONDS.toNanos(BOUND.seconds() + 60)) {
            if (backends(application, database).isEmpty()) {
                return (System.nanoTime() - startNanos) / 1e9;
            }
            Thread.sleep(100);
        }
        return -1;
    }

    /** Measures, from now on and in parallel, how long until the server has no backend of the applications (LIKE pattern). */
    private static CompletableFuture<Double> serverGone(String application, String database, long downNanos) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return secondsUntilGone(application, database, downNanos);
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
            CompletableFuture<Double> serverGone = serverGone("archon-sync waiting", null, down);
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

    /** Rows per side: enough that each phase's statements take a moment on the server (and the COPY fills the buffers). */
    static final int ROWS = 20_000;

    /** A run's end: its result, or the error it was refused with before it started (validation). */
    private record Outcome(int exitCode, String message, String syncId) {
        static Outcome of(Database local, Database remote, SyncRequest request) {
            try {
                SyncResult r = new SyncEngine(local, remote).sync(request, SyncControl.create(), SyncListener.NONE);
                return new Outcome(r.exitCode(), r.errorMessage(), r.syncId());
            } catch (ArchonSyncException e) {
                return new Outcome(e.code().exitCode(), e.getMessage(), null);
            }
        }
    }

    /** A fresh database on the namespace server and one on the local embedded server, migrated, rows laid out as asked. */
    private record Pair(Database local, Database remote, String name) {
        static Pair of(SilentPhase.Layout layout, boolean remoteIsSource) throws SQLException {
            Database local = TestServers.freshDatabase(Version.PG15, DatabaseRole.LOCAL);
            String name = "silent_" + System.nanoTime();
            try (Connection c = LinkDownIT.remote("postgres").open("test")) {
                Sql.execute(c, "CREATE DATABASE " + name);
            }
            Pair p = new Pair(local, LinkDownIT.remote(name), name);
            new Migrator().migrate(p.local);
            new Migrator().migrate(p.remote);
            Database source = remoteIsSource ? p.remote : p.local;
            Database target = remoteIsSource ? p.local : p.remote;
            String ddl = "CREATE TABLE archon_big (id bigserial PRIMARY KEY, payload text, n int);"
                    + " CREATE INDEX archon_big_n ON archon_big (n); CREATE INDEX archon_big_payload ON archon_big (payload);";
            sql(source, ddl + rows(layout == SilentPhase.Layout.EXTRA_LOCAL ? ROWS + ROWS / 5 : ROWS, 0));
            sql(target, ddl + rows(ROWS, layout == SilentPhase.Layout.FULL_COPY ? 7 : 0)
                    + (layout == SilentPhase.Layout.CHANGES ? "; UPDATE archon_big SET payload = 'changed' WHERE id % 5 = 0" : ""));
            return p;
        }

        private static String rows(int n, int salt) {
            return " INSERT INTO archon_big (payload, n) SELECT repeat(md5((g + " + salt + ")::text), 8), g"
                    + " FROM generate_series(1, " + n + ") g";
        }
    }

    /**
     * Polls the namespace server until one of the database's active sessions matches {@code doing}
     * (a condition on pg_stat_activity), then takes the link down.
     *
     * @return System.nanoTime() once the link is down
     */
    private static long linkDownWhen(String database, String doing, CompletableFuture<Outcome> run) throws Exception {
        awaitServer(database, doing, run);
        ns.linkDown();
        return System.nanoTime();
    }

    /** Polls the namespace server until one of the database's active sessions matches {@code doing}. */
    private static void awaitServer(String database, String doing, CompletableFuture<Outcome> run) throws Exception {
        String sql = "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = ? AND state = 'active' AND (" + doing + "))";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Connection watch = remote("postgres").open("archon-test watch")) {
            while (!Sql.queryBoolean(watch, sql, database)) {
                assertFalse(run.isDone(), () -> "the run ended before the server was seen " + doing + ": " + run.join());
                assertTrue(System.nanoTime() < deadline, "the server was seen " + doing);
                Thread.sleep(2);
            }
        }
    }

    /** Sets (or, with null, resets) the server's synchronous standby: with one that never answers, every COMMIT waits. */
    private static void synchronousStandby(String name) throws IOException {
        ns.sqlInside(name == null ? "ALTER SYSTEM RESET synchronous_standby_names"
                : "ALTER SYSTEM SET synchronous_standby_names = '" + name + "'");
        ns.sqlInside("SELECT pg_reload_conf()");
    }

    /** Waits until the test's gate transaction holds its lock. */
    private static void awaitGate(SilentPhase.Gate gate) throws IOException, InterruptedException {
        String held = "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.application_name = '"
                + NetNamespace.GATE + "' AND l.locktype = 'relation' AND l.granted AND l.mode = '" + gate.lockName() + "'";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ns.sqlInside(held).equals("0")) {
            assertTrue(System.nanoTime() < deadline, "the gate took its lock");
            Thread.sleep(20);
        }
    }

    /** Every phase, or those named in -Darchon.test.silent-phases=IMPORT,INDEXING (to measure a few with a long bound). */
    static Stream<SilentPhase> phases() {
        String only = System.getProperty("archon.test.silent-phases", "");
        return Stream.of(SilentPhase.values()).filter(p -> only.isBlank() || List.of(only.split(",")).contains(p.name()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("phases")
    void linkGoingSilentInAnyPhaseEndsTheRunWithinTheBoundAndChangesNothing(SilentPhase phase) throws Exception {
        boolean remoteIsSource = phase.direction == Direction.REMOTE_TO_LOCAL;
        Pair p = Pair.of(phase.layout, remoteIsSource);
        Map<String, String> localBefore = content(p.local);
        Map<String, String> remoteBefore = content(p.remote);
        Set<Path> hashFilesBefore = hashFiles();
        Process gate = phase.gate == null ? null : ns.gateInside(p.name, phase.gate.sql());
        try {
            if (gate != null) {
                awaitGate(phase.gate);
            }
            SyncRequest request = SyncRequest.of(phase.direction).withMode(phase.mode).withBackup(true, EngineFixture.tempDir());
            CompletableFuture<Outcome> run = CompletableFuture.supplyAsync(() -> Outcome.of(p.local, p.remote, request));
            long down = linkDownWhen(p.name, phase.serverDoing, run);
            CompletableFuture<Double> serverGone = serverGone("archon-sync%", p.name, down);
            Outcome o = run.get(BOUND.seconds() + 90, TimeUnit.SECONDS);
            double client = (System.nanoTime() - down) / 1e9;
            double server = serverGone.get(BOUND.seconds() + 90, TimeUnit.SECONDS);
            System.out.printf("link down, %s: the run ended after %.1f s, the server ended its last session after %.1f s"
                    + " (bound %d s)%n", phase, client, server, BOUND.seconds());
            assertEquals(3, o.exitCode(), o.message());
            assertTrue(o.message().contains("the link to the remote database went silent (no packets for " + BOUND.seconds()
                    + " s) " + phase.said), o.message());
            double recording = remoteIsSource || phase == SilentPhase.VALIDATION ? 0 : RECORD_SECONDS;
            assertTrue(client < BOUND.seconds() + SLACK_SECONDS + recording, "run ended " + client + " s after the link went down");
            assertTrue(server >= 0 && server < BOUND.seconds() + SLACK_SECONDS, "server ended the sessions after " + server + " s");
            if (o.syncId() != null) { // the local database's row: the run's own (remote-to-local) or its copy
                Map<String, String> row = historyRow(p.local, o.syncId());
                assertEquals("failed", row.get("status"));
                assertTrue(row.get("error_details").contains("link_silent"), row.get("error_details"));
            }
        } finally {
            ns.linkUp();
            if (gate != null) {
                ns.endGates();
                gate.destroy();
            }
        }
        assertEquals(localBefore, content(p.local), "local unchanged");
        assertEquals(remoteBefore, content(p.remote), "remote unchanged");
        assertTrue(EngineFixture.noLocksLeft(p.remote), "no archon-sync lock left on the remote");
        // the other database's hashes may still arrive after the failure: they are deleted when they do
        Set<Path> left = new HashSet<>(hashFiles());
        for (long deadline = System.currentTimeMillis() + 10_000; System.currentTimeMillis() < deadline; ) {
            left = new HashSet<>(hashFiles());
            left.removeAll(hashFilesBefore);
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(Set.of(), left, "no temporary hash file left behind");
    }

    /** The temporary hash files (archon-sync-hashes-*) now in the temporary directory. */
    private static Set<Path> hashFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("archon-sync-hashes-")).collect(Collectors.toSet());
        }
    }

    /**
     * The link goes silent while the server commits. The test holds the COMMIT on the server (a
     * synchronous standby that never answers, set while the rows are imported), takes the link down
     * once the COMMIT waits, then lets the server finish it: the server committed, its answer is lost.
     * The run cannot know: it says the outcome is unknown (exit 8), naming the database, the silent
     * link and the query that settles it, after the bound plus the bound spent asking.
     */
    @Test
    void linkGoingSilentWhileTheServerCommitsSaysTheOutcomeIsUnknown() throws Exception {
        Pair p = Pair.of(SilentPhase.Layout.FULL_COPY, false);
        SyncRequest request = SyncRequest.of(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.FULL).withBackup(true, EngineFixture.tempDir());
        CompletableFuture<Outcome> run = CompletableFuture.supplyAsync(() -> Outcome.of(p.local, p.remote, request));
        long down;
        try {
            awaitServer(p.name, "application_name = 'archon-sync import' AND query LIKE 'COPY %FROM STDIN%'", run);
            synchronousStandby("archon_test_nobody");
            down = linkDownWhen(p.name, "application_name = 'archon-sync import' AND wait_event = 'SyncRep'", run);
        } finally {
            synchronousStandby(null); // the held COMMIT completes on the server; its answer is lost with the link
        }
        CompletableFuture<Double> serverGone = serverGone("archon-sync%", p.name, down);
        Outcome o;
        try {
            o = run.get(2 * BOUND.seconds() + 90, TimeUnit.SECONDS);
            double client = (System.nanoTime() - down) / 1e9;
            double server = serverGone.get(BOUND.seconds() + 90, TimeUnit.SECONDS);
            System.out.printf("link down during COMMIT: the run ended after %.1f s, the server ended its last session after"
                    + " %.1f s (bound %d s)%n", client, server, BOUND.seconds());
            assertEquals(8, o.exitCode(), o.message());
            assertTrue(o.message().startsWith("outcome unknown: the link to the remote database went silent (no packets for "
                    + BOUND.seconds() + " s) during COMMIT") && o.message().contains("SELECT txid_status("), o.message());
            assertTrue(client < 2 * BOUND.seconds() + SLACK_SECONDS, "run ended " + client + " s after the link went down");
            assertTrue(server >= 0 && server < BOUND.seconds() + SLACK_SECONDS, "server ended the sessions after " + server + " s");
            Map<String, String> row = historyRow(p.local, o.syncId());
            assertEquals("failed", row.get("status"));
            assertTrue(row.get("error_details").contains("\"outcome\": \"unknown\""), row.get("error_details"));
            // the target may have committed: the backup of what it replaced is kept and named, never deleted as after a rollback
            assertNotNull(row.get("backup_file_path"), row.toString());
            assertTrue(Files.isRegularFile(Path.of(row.get("backup_file_path"))), row.get("backup_file_path"));
            assertTrue(row.get("metadata").contains("\"backup_kept\": \"whether the remote database committed is unknown"),
                    row.get("metadata"));
        } finally {
            ns.linkUp();
        }
        String xid = o.message().replaceAll("(?s).*SELECT txid_status\\((\\d+)\\).*", "$1");
        assertEquals("committed", EngineFixture.string(p.remote, "SELECT txid_status(" + xid + ")"));
        assertEquals(content(p.local), content(p.remote), "the server did commit");
    }

    @Test
    void unreachableAfterRetriesFailsWithExitTwo() {
        Database nowhere = new Database(new DatabaseConfig(DatabaseRole.REMOTE, ns.serverIp(), 5433, "postgres", "postgres",
                null, Map.of(), "namespace server"), BOUND);
        long start = System.nanoTime();
        var e = assertThrows(ArchonSyncException.class, () -> nowhere.open("test"));
        assertTrue(e.getMessage().contains("tried 3 times"), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1e9 >= 3, "backed off 1 s then 2 s");
        assertEquals(2, e.code().exitCode());
    }
}
