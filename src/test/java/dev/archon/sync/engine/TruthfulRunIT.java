package dev.archon.sync.engine;

import static dev.archon.sync.engine.EngineFixture.content;
import static dev.archon.sync.engine.EngineFixture.count;
import static dev.archon.sync.engine.EngineFixture.historyRow;
import static dev.archon.sync.engine.EngineFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.Json;
import dev.archon.sync.cli.CliRunner;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import dev.archon.sync.testing.TestServers.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the history says of a run is true; backups are there when undo needs them; refusals come fast and name why. */
class TruthfulRunIT {
    private static EngineFixture bigTable(int rows) {
        EngineFixture f = new EngineFixture(Version.PG15, Version.PG15, EngineFixture.tempDir());
        String ddl = "CREATE TABLE archon_big (id bigserial PRIMARY KEY, payload text, n int);";
        sql(f.local, ddl + " INSERT INTO archon_big (payload, n) SELECT repeat(md5(g::text), 8), g FROM generate_series(1, " + rows + ") g");
        sql(f.remote, ddl + " INSERT INTO archon_big (payload, n) SELECT 'old', g FROM generate_series(1, 1000) g");
        return f;
    }

    private static SyncRequest keepOne(EngineFixture f) {
        return new SyncRequest(Direction.LOCAL_TO_REMOTE, List.of(), List.of(), false, true, f.backups, 1, "test",
                Duration.ofSeconds(30), SyncMode.FULL);
    }

    private static void whenCopying(Database target, Runnable action) {
        CompletableFuture.runAsync(() -> {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                if (count(target, "SELECT count(*) FROM pg_stat_progress_copy p JOIN pg_stat_activity a ON a.pid = p.pid"
                        + " WHERE a.application_name = 'archon-sync import' AND p.tuples_processed > 1000 AND EXISTS (SELECT 1"
                        + " FROM archon_sync_history WHERE status = 'running' AND current_phase = 'import')") > 0) {
                    action.run();
                    return;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private static boolean archive(EngineFixture f, String syncId) {
        return Files.isRegularFile(f.backups.resolve(syncId + ".archon-backup"));
    }

    @Test
    void aRolledBackRunClaimsNothingDeletesItsBackupAndNeverCostsACompletedRunItsArchive() throws Exception {
        EngineFixture f = bigTable(300_000);
        SyncResult first = f.engine.sync(keepOne(f), SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", first.status(), first.errorMessage());
        assertTrue(archive(f, first.syncId()));
        JsonNode firstVerification = Json.MAPPER.readTree(historyRow(f.remote, first.syncId()).get("verification_results"));
        assertTrue(firstVerification.get("performed").asBoolean() && firstVerification.get("all_match").asBoolean());

        Path stale = f.backups.resolve("sync_20200101_000000_dead.archon-backup.partial");
        Path fresh = f.backups.resolve("sync_20200101_000000_beef.archon-backup.partial");
        Files.writeString(stale, "left by a killed process");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(600)));
        Files.writeString(fresh, "being written by a running process");
        sql(f.remote, "UPDATE archon_big SET payload = 'newer' WHERE n = 1");
        Map<String, String> before = content(f.remote);
        whenCopying(f.remote, () -> count(f.remote, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name = 'archon-sync import'"));
        SyncResult killed = f.engine.sync(keepOne(f), SyncControl.create(), SyncListener.NONE);

        assertEquals("failed", killed.status());
        assertEquals(before, content(f.remote));
        assertTrue(killed.tables().isEmpty() && killed.verification().isEmpty(), "the result claims nothing");
        Map<String, String> row = historyRow(f.remote, killed.syncId());
        assertEquals("[]", row.get("tables_synced"));
        assertEquals("{\"performed\": false}", row.get("verification_results"));
        assertEquals("0", row.get("synced_rows"));
        JsonNode metadata = Json.MAPPER.readTree(row.get("metadata"));
        assertEquals("import", metadata.path("partial").path("stopped_in_phase").asText(), row.get("metadata"));
        assertTrue(metadata.path("partial").path("rolled_back").asBoolean());
        assertFalse(metadata.has("progress"), "the live progress detail is gone once the run ended");
        assertNull(row.get("backup_file_path"), "a rolled-back run names no backup");
        assertFalse(archive(f, killed.syncId()), "a rolled-back run deletes its own archive");
        assertTrue(archive(f, first.syncId()), "retention does not count or prune before COMMIT");
        assertFalse(Files.exists(stale), "a partial file left by a killed process is removed by the next run");
        assertTrue(Files.exists(fresh), "a partial file still being written is left alone");

        CliRunner.Run printed = CliRunner.run("history", "--local", f.local.config().toUriWithPassword(), "--remote",
                f.remote.config().toUriWithPassword());
        assertTrue(printed.out().contains(killed.syncId()) && printed.out().contains("failed"), printed.out());

        SyncResult third = f.engine.sync(keepOne(f), SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", third.status(), third.errorMessage());
        assertTrue(archive(f, third.syncId()));
        assertFalse(archive(f, first.syncId()), "after COMMIT, --keep-backups 1 keeps only the newest completed run's");
    }

    @Test
    void aTableLockedByAnotherSessionIsEstimatedAndNamedWhileTheOthersAreCountedExactly() throws Exception {
        EngineFixture f = bigTable(3_000);
        sql(f.local, "CREATE TABLE archon_small (id int PRIMARY KEY); INSERT INTO archon_small SELECT generate_series(1, 7)");
        sql(f.remote, "CREATE TABLE archon_small (id int PRIMARY KEY); INSERT INTO archon_small SELECT generate_series(1, 5)");
        Preflight unlocked = f.engine.preflight(f.request(Direction.LOCAL_TO_REMOTE));
        assertTrue(unlocked.warnings().stream().noneMatch(w -> w.name().equals("locked_tables")), unlocked.warnings().toString());
        assertEquals(Map.of("public.archon_big", List.of(3_000L, 1_000L), "public.archon_small", List.of(7L, 5L)), counts(unlocked));
        try (Connection holder = f.remote.open("test lock holder")) {
            holder.setAutoCommit(false);
            Sql.execute(holder, "LOCK TABLE archon_big IN ACCESS EXCLUSIVE MODE");
            long start = System.nanoTime();
            Preflight p = f.engine.preflight(f.request(Direction.LOCAL_TO_REMOTE));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 8, "preflight took " + seconds + " s");
            CheckResult locked = p.warnings().stream().filter(w -> w.name().equals("locked_tables")).findFirst()
                    .orElseThrow(() -> new AssertionError("no locked_tables warning: " + p.checks()));
            assertEquals(1, locked.details().size(), locked.details().toString());
            assertTrue(locked.details().get(0).startsWith("public.archon_big on the remote database is locked by test lock holder"),
                    locked.details().toString());
            assertEquals(List.of(3_000L, 7L), List.of(counts(p).get("public.archon_big").get(0), counts(p).get("public.archon_small")
                    .get(0)), "the source counted exactly");
            assertEquals(List.of(7L, 5L), counts(p).get("public.archon_small"), "the unlocked target table counted exactly");
            holder.rollback();
        }
    }

    private static Map<String, List<Long>> counts(Preflight p) {
        return p.tables().stream().collect(java.util.stream.Collectors.toMap(TablePlan::name, t -> List.of(t.sourceRows(),
                t.targetRows())));
    }

    @Test
    void preflightAnswersAtOnceNamingTheRunningSyncWhileItWaitsForLocksShownAsSuch() throws Exception {
        EngineFixture f = bigTable(20_000);
        try (Connection holder = f.remote.open("test lock holder")) {
            holder.setAutoCommit(false);
            Sql.execute(holder, "LOCK TABLE archon_big IN ACCESS EXCLUSIVE MODE");
            List<SyncListener.Progress> seen = new CopyOnWriteArrayList<>();
            CompletableFuture<SyncResult> run = CompletableFuture.supplyAsync(() ->
                    f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.FULL), SyncControl.create(), seen::add));
            long deadline = System.currentTimeMillis() + 20_000;
            while (seen.stream().noneMatch(p -> "waiting for locks".equals(p.step())) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            SyncListener.Progress waiting = seen.stream().filter(p -> "waiting for locks".equals(p.step())).findFirst()
                    .orElseThrow(() -> new AssertionError("no 'waiting for locks' progress: " + seen));
            assertEquals("public.archon_big", waiting.waitingOn());
            assertNull(waiting.etaSeconds(), "no time left is invented while waiting");
            String running = EngineFixture.string(f.remote, "SELECT sync_id FROM archon_sync_history WHERE status = 'running'");
            Thread.sleep(1200);
            Map<String, String> row = historyRow(f.remote, running);
            assertEquals("public.archon_big", row.get("current_table"));
            assertTrue(row.get("metadata").contains("\"step\": \"waiting for locks\""), row.get("metadata"));

            long start = System.nanoTime();
            Preflight p = f.engine.preflight(f.request(Direction.LOCAL_TO_REMOTE));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 5, "preflight took " + seconds + " s");
            assertFalse(p.ok());
            String message = p.errors().get(0).message();
            assertTrue(message.contains("sync " + running + " is running on the remote database"), message);

            Thread.sleep(1000);
            holder.rollback();
            SyncResult r = run.get(60, TimeUnit.SECONDS);
            assertEquals("completed", r.status(), r.errorMessage());
            double lockWait = ((Number) r.metrics().get("lock_wait_seconds")).doubleValue();
            assertTrue(lockWait >= 1.5, "the wait is booked apart: " + r.metrics());
            assertTrue(((Number) r.metrics().get("export_seconds")).doubleValue() < lockWait, r.metrics().toString());
            assertTrue(seen.stream().anyMatch(s -> "writing the backup".equals(s.step())) || r.metrics().containsKey("backup_seconds"));
        }
    }

    @Test
    void anUnwritableBackupDirectoryIsAValidationRefusalInPreflightAndSyncAlike() throws Exception {
        EngineFixture f = bigTable(10);
        Path file = EngineFixture.tempDir().resolve("not-a-dir.txt");
        Files.writeString(file, "a file, not a directory");
        SyncRequest request = f.request(Direction.LOCAL_TO_REMOTE).withBackup(true, file.resolve("backups"));
        Preflight p = f.engine.preflight(request);
        assertFalse(p.ok());
        assertTrue(p.errors().get(0).name().equals("backup_directory") && p.errors().get(0).message().contains("not a directory"),
                p.errors().toString());
        ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> f.engine.sync(request, SyncControl.create(),
                SyncListener.NONE));
        assertEquals(ErrorCode.REFUSED, e.code());
        assertEquals(0, count(f.remote, "SELECT count(*) FROM archon_sync_history"), "nothing recorded");
        for (String command : List.of("preflight", "sync")) {
            CliRunner.Run r = CliRunner.run(command, "--direction", "local-to-remote", command.equals("sync") ? "--yes" : "--json",
                    "--backup-dir", file.resolve("backups").toString(), "--local", f.local.config().toUriWithPassword(), "--remote",
                    f.remote.config().toUriWithPassword());
            assertEquals(6, r.exit(), command + ": " + r.out() + r.err());
            assertTrue((r.out() + r.err()).contains("backup_directory"), r.out() + r.err());
        }
        assertEquals(0, count(f.remote, "SELECT count(*) FROM archon_sync_history"), "nothing recorded");
    }

    @Test
    void aRoleThatMayNotReadATableIsRefusedNamingTheDatabaseAndTheTable() {
        EngineFixture f = bigTable(10);
        sql(f.local, "DO $$ BEGIN CREATE ROLE archon_reader LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"
                + " GRANT USAGE ON SCHEMA public TO archon_reader; REVOKE ALL ON archon_big FROM archon_reader");
        Database reader = new Database(f.local.config().withCredentials("archon_reader", null));
        Preflight p = new SyncEngine(reader, f.remote).preflight(f.request(Direction.LOCAL_TO_REMOTE));
        assertFalse(p.ok());
        assertEquals("permissions", p.errors().get(0).name());
        assertTrue(p.errors().get(0).message().contains("on the local database, the connecting role may not read public.archon_big"),
                p.errors().get(0).message());
        CliRunner.Run r = CliRunner.run("sync", "--direction", "local-to-remote", "--yes", "--local",
                reader.config().toUriWithPassword(), "--remote", f.remote.config().toUriWithPassword());
        assertEquals(6, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("local database") && r.err().contains("public.archon_big"), r.err());
    }

    @Test
    void sslRequiredAgainstAServerWithoutSslSaysTheServerDoesNotSupportIt() {
        EngineFixture f = bigTable(1);
        var c = f.local.config();
        Database ssl = new Database(new dev.archon.sync.config.DatabaseConfig(c.role(), c.host(), c.port(), c.database(), c.user(),
                c.password(), Map.of("sslmode", "require"), "--local"));
        ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> ssl.open("test"));
        assertEquals(ErrorCode.CONNECTION_FAILED, e.code());
        assertTrue(e.getMessage().contains("the server does not support SSL"), e.getMessage());
        assertFalse(e.getMessage().contains("connection refused"), e.getMessage());
    }

    @Test
    void undoAndRestoreAreRecognisableInTheCliHistoryAndStats() throws Exception {
        EngineFixture f = bigTable(100);
        String[] dbs = {"--local", f.local.config().toUriWithPassword(), "--remote", f.remote.config().toUriWithPassword()};
        CliRunner.Run dry = CliRunner.run(concat(new String[] {"sync", "-d", "local-to-remote", "--dry-run", "--json"}, dbs));
        assertEquals(0, dry.exit(), dry.err());
        JsonNode plan = Json.MAPPER.readTree(dry.out());
        assertTrue(plan.get("dry_run").asBoolean() && plan.get("preflight").get("ok").asBoolean(), dry.out());

        SyncResult sync = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", sync.status(), sync.errorMessage());
        CliRunner.Run undo = CliRunner.run(concat(new String[] {"undo", sync.syncId(), "--yes", "--backup-dir",
                f.backups.toString()}, dbs));
        assertEquals(0, undo.exit(), undo.out() + undo.err());
        String first = undo.out().lines().findFirst().orElse("");
        assertTrue(first.contains("undo of " + sync.syncId() + " (restored the remote database from its backup): completed"), first);
        assertFalse(undo.out().contains("remote-to-local: completed") || undo.out().contains("local-to-remote: completed"), undo.out());
        assertTrue(undo.out().contains("  metrics:") && !undo.out().contains("{"), "metrics as a table: " + undo.out());

        CliRunner.Run history = CliRunner.run(concat(new String[] {"history", "--json"}, dbs));
        assertEquals(0, history.exit(), history.err());
        JsonNode records = Json.MAPPER.readTree(history.out());
        assertTrue(records.isArray() && records.size() == 2, history.out());
        JsonNode undone = records.get(0);
        assertEquals("undo", undone.get("operation").asText());
        assertEquals(sync.syncId(), undone.get("undone_sync_id").asText());
        assertEquals("sync", records.get(1).get("operation").asText());
        CliRunner.Run text = CliRunner.run(concat(new String[] {"history"}, dbs));
        assertTrue(text.out().lines().anyMatch(l -> l.contains(undone.get("sync_id").asText()) && l.contains(" undo ")
                && l.contains("into remote") && l.contains("undid " + sync.syncId())), text.out());

        dev.archon.sync.history.HistoryStats stats = new dev.archon.sync.history.HistoryReader(f.local, f.remote).stats(7);
        assertEquals(1, stats.totalSyncs(), stats.toString());
        assertEquals(100, stats.totalRowsSynced(), "restored rows are not counted as synced: " + stats);
        assertEquals(1, stats.restoreRuns());
        assertEquals(1000, stats.rowsRestored());
        assertEquals(1, stats.localToRemoteCount() + stats.remoteToLocalCount(), stats.toString());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
