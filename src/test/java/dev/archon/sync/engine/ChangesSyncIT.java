package dev.archon.sync.engine;

import static dev.archon.sync.engine.EngineFixture.content;
import static dev.archon.sync.engine.EngineFixture.count;
import static dev.archon.sync.engine.EngineFixture.historyRow;
import static dev.archon.sync.engine.EngineFixture.sql;
import static dev.archon.sync.engine.EngineFixture.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.backup.BackupEntry;
import dev.archon.sync.backup.BackupReader;
import dev.archon.sync.testing.TestServers.Version;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Changes-only syncs between real servers: every kind of difference found, applied exactly, undone exactly. */
class ChangesSyncIT {
    private static final String FIXTURE = EngineFixture.resource("/fixtures/all_types.sql");
    /** Rows that differ in exactly one subtle way each (row 8 does not differ). */
    private static final String CASES = """
            CREATE TABLE archon_diff_cases (id int PRIMARY KEY, a text, b text, j json, n numeric, ts timestamptz,
                emb real[], body text, len int GENERATED ALWAYS AS (length(body)) STORED);
            INSERT INTO archon_diff_cases (id, a, b, j, n, ts, emb, body)
            SELECT g, 'a', 'b|c', '{"a": 1, "b": 2}', 0.1, '2025-01-01 10:00:00.000001+00', '{0.1,0.2,0.3}', 'body'
            FROM generate_series(1, 9) g;
            UPDATE archon_diff_cases SET a = NULL WHERE id = 2;
            """;
    private static final String SOURCE_CHANGES = """
            UPDATE archon_diff_cases SET emb = '{0.1,0.20000002,0.3}' WHERE id = 1;
            UPDATE archon_diff_cases SET a = 'NULL' WHERE id = 2;
            UPDATE archon_diff_cases SET a = 'a|b', b = 'c' WHERE id = 3;
            UPDATE archon_diff_cases SET j = '{"b": 2, "a": 1}' WHERE id = 4;
            UPDATE archon_diff_cases SET n = 0.10 WHERE id = 5;
            UPDATE archon_diff_cases SET ts = ts + interval '1 microsecond' WHERE id = 6;
            UPDATE archon_diff_cases SET body = 'bodies' WHERE id = 7;
            DELETE FROM archon_diff_cases WHERE id = 9;
            INSERT INTO archon_diff_cases (id, a, b, body) VALUES (10, 'new', NULL, 'x');
            INSERT INTO archon_fixture_tree (id, parent_id, name) VALUES (6, 7, 'forward'), (7, 1, 'new parent');
            DELETE FROM archon_fixture_tree WHERE id = 3;
            UPDATE archon_fixture_events SET name = 'renamed', updated_at = '2020-01-01 00:00:00+00' WHERE name = 'created';
            """;

    /**
     * The same content on both sides, but the remote's enum and extension types get other OIDs and its
     * sessions default to another time zone, date style and float precision.
     */
    private static EngineFixture identical(Version local, Version remote) {
        EngineFixture f = new EngineFixture(local, remote, EngineFixture.tempDir());
        sql(f.local, FIXTURE + CASES);
        String db = string(f.remote, "SELECT current_database()");
        sql(f.remote, "CREATE TYPE archon_oid_shift AS ENUM ('x'); ALTER DATABASE \"" + db + "\" SET timezone = 'Asia/Tokyo';"
                + " ALTER DATABASE \"" + db + "\" SET datestyle = 'SQL, DMY'; ALTER DATABASE \"" + db + "\" SET extra_float_digits = 0");
        sql(f.remote, FIXTURE + CASES);
        return f;
    }

    private static Map<String, DiffReport.Table> byTable(DiffReport d) {
        return d.tables().stream().collect(Collectors.toMap(DiffReport.Table::table, Function.identity()));
    }

    @ParameterizedTest
    @CsvSource({"PG15, PG15", "PG15, PG17"})
    void everySubtleDifferenceIsFoundAndApplied(Version localVersion, Version remoteVersion) {
        EngineFixture f = identical(localVersion, remoteVersion);
        sql(f.local, SOURCE_CHANGES);
        Map<String, String> before = content(f.remote);
        long historyBefore = count(f.remote, "SELECT count(*) FROM archon_sync_history")
                + count(f.local, "SELECT count(*) FROM archon_sync_history");

        DiffReport d = f.engine.diff(f.request(Direction.LOCAL_TO_REMOTE), 5);
        Map<String, DiffReport.Table> t = byTable(d);
        DiffReport.Table cases = t.get("public.archon_diff_cases");
        assertEquals(List.of(1L, 7L, 1L, 1L), List.of(cases.inserts(), cases.updates(), cases.deletes(), cases.unchanged()));
        DiffReport.Table tree = t.get("public.archon_fixture_tree");
        assertEquals(List.of(2L, 0L, 1L, 4L), List.of(tree.inserts(), tree.updates(), tree.deletes(), tree.unchanged()));
        assertEquals(1, t.get("public.archon_fixture_events").updates());
        assertEquals(0, t.get("public.archon_fixture_types").updates() + t.get("public.archon_fixture_wide").updates());
        assertTrue(cases.examples().get("update").stream().anyMatch(e -> e.columns().stream()
                .anyMatch(c -> c.get("column").equals("b") && c.get("source").equals("c") && c.get("target").equals("b|c"))),
                cases.examples().toString());
        assertEquals(before, content(f.remote), "diff changed nothing");
        assertEquals(historyBefore, count(f.remote, "SELECT count(*) FROM archon_sync_history")
                + count(f.local, "SELECT count(*) FROM archon_sync_history"), "diff recorded nothing");

        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.CHANGES), SyncControl.create(),
                SyncListener.NONE);
        assertEquals("completed", r.status(), r.errorMessage());
        assertEquals(content(f.local), content(f.remote), "target equals source (checked independently of the engine)");
        TableResult casesResult = r.tables().stream().filter(x -> x.tableName().equals("public.archon_diff_cases")).findFirst()
                .orElseThrow();
        assertEquals("changes", casesResult.mode());
        assertEquals(List.of(1L, 7L, 1L, 9L), List.of(casesResult.inserted(), casesResult.updated(), casesResult.deleted(),
                casesResult.rowCount()));
        assertEquals(13, r.rows(), "rows written: 9 + tree 3 + events 1");
        String updatedAt = "SELECT updated_at::text FROM archon_fixture_events WHERE name = 'renamed'";
        assertEquals(string(f.local, updatedAt), string(f.remote, updatedAt), "the target's user trigger did not rewrite the row");
        assertEquals(6, count(f.remote, "SELECT len FROM archon_diff_cases WHERE id = 7"), "generated column recomputed");
        Map<String, String> row = historyRow(f.remote, r.syncId());
        assertEquals("13", row.get("synced_rows"));
        assertTrue(row.get("tables_synced").contains("\"mode\": \"changes\""), row.get("tables_synced"));
        assertTrue(row.get("verification_results").contains("\"all_match\": true"), row.get("verification_results"));
        Map<String, String> sourceCopy = historyRow(f.local, r.syncId());
        assertEquals("completed", sourceCopy.get("status"), "the source's history tells the story too");
        assertEquals("13", sourceCopy.get("synced_rows"));
        var merged = new dev.archon.sync.history.HistoryReader(f.local, f.remote)
                .list(new dev.archon.sync.history.HistoryFilter(50, 0, null, null, null, "started_at", false));
        assertEquals(1, merged.records().stream().filter(x -> r.syncId().equals(x.get("sync_id"))).count(), "listed once");
        assertEquals(1, new dev.archon.sync.history.HistoryReader(f.local, f.remote).stats(7).totalSyncs(), "counted once");

        DiffReport again = f.engine.diff(f.request(Direction.LOCAL_TO_REMOTE), 0);
        assertEquals(0, again.inserts() + again.updates() + again.deletes(), "nothing left to change");
    }

    @Test
    void textKeysCompareTheSameUnderDifferentCollations() {
        EngineFixture f = new EngineFixture(Version.PG15, Version.PG15, EngineFixture.tempDir());
        String icu = string(f.remote, "SELECT collname FROM pg_collation WHERE collprovider = 'i' AND collname LIKE 'en%'"
                + " ORDER BY collname LIMIT 1");
        String other = icu != null ? "\"" + icu + "\"" : "\"POSIX\"";
        sql(f.local, "CREATE TABLE archon_keys (id text COLLATE \"C\" PRIMARY KEY, v int)");
        sql(f.remote, "CREATE TABLE archon_keys (id text COLLATE " + other + " PRIMARY KEY, v int)");
        String rows = "('Ab', 1), ('a-b', 2), ('aB', 3), ('a_b', 4), ('ab', 5), ('Z', 6), ('é', 7), ('e', 8), ('a b', 9)";
        sql(f.local, "INSERT INTO archon_keys VALUES " + rows);
        sql(f.remote, "INSERT INTO archon_keys VALUES " + rows);
        sql(f.local, "UPDATE archon_keys SET v = 50 WHERE id = 'a_b'; DELETE FROM archon_keys WHERE id = 'aB';"
                + " INSERT INTO archon_keys VALUES ('A-B', 10)");
        DiffReport.Table t = byTable(f.engine.diff(f.request(Direction.LOCAL_TO_REMOTE), 0)).get("public.archon_keys");
        assertEquals(List.of(1L, 1L, 1L, 7L), List.of(t.inserts(), t.updates(), t.deletes(), t.unchanged()),
                "no false difference from the collation " + other);
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", r.status(), r.errorMessage());
        assertEquals(content(f.local), content(f.remote));
    }

    @Test
    void undoOfAChangesRunRestoresTheExactPreviousContentFromAPartialBackup() throws Exception {
        EngineFixture f = identical(Version.PG15, Version.PG15);
        sql(f.local, SOURCE_CHANGES);
        Map<String, String> before = content(f.remote);
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.CHANGES), SyncControl.create(),
                SyncListener.NONE);
        assertEquals("completed", r.status(), r.errorMessage());
        try (BackupReader reader = BackupReader.open(Path.of(r.backupFile()))) {
            List<BackupEntry> entries = reader.manifest().entries();
            BackupEntry rows = entries.stream().filter(e -> e.table().equals("archon_diff_cases")
                    && e.content().equals(BackupEntry.ROWS)).findFirst().orElseThrow();
            assertEquals(8, rows.rowCount(), "the 7 replaced rows and the deleted one, not the whole table");
            BackupEntry inserted = entries.stream().filter(e -> e.table().equals("archon_diff_cases")
                    && e.content().equals(BackupEntry.INSERTED_KEYS)).findFirst().orElseThrow();
            assertEquals(1, inserted.rowCount());
            assertTrue(entries.stream().noneMatch(e -> e.table().equals("archon_fixture_wide")), "unchanged tables not saved");
        }
        assertNotEquals(before, content(f.remote));
        assertNotEquals(string(f.local, "SELECT 'archon_fixture_mood'::regtype::oid::text"),
                string(f.remote, "SELECT 'archon_fixture_mood'::regtype::oid::text"), "the enum's OIDs differ");
        sql(f.remote, "UPDATE archon_diff_cases SET b = 'changed since' WHERE id = 8");
        var refused = org.junit.jupiter.api.Assertions.assertThrows(dev.archon.sync.ArchonSyncException.class,
                () -> f.engine.undo(r.syncId(), false, f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE));
        assertEquals(dev.archon.sync.ErrorCode.REFUSED, refused.code(), refused.getMessage());
        sql(f.remote, "UPDATE archon_diff_cases SET b = 'b|c' WHERE id = 8");
        SyncResult undo = f.engine.undo(r.syncId(), false, f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(),
                SyncListener.NONE);
        assertEquals("completed", undo.status(), undo.errorMessage());
        assertEquals(before, content(f.remote), "undo brought back exactly the previous content");
    }

    @Test
    void aTargetThatStoresSomethingElseIsCaughtAndRolledBack() {
        EngineFixture f = new EngineFixture(Version.PG15, Version.PG15, EngineFixture.tempDir());
        sql(f.local, "CREATE DOMAIN archon_amount AS numeric");
        sql(f.remote, "CREATE DOMAIN archon_amount AS numeric(10, 1)");
        for (var db : List.of(f.local, f.remote)) {
            sql(db, "CREATE TABLE archon_prices (id int PRIMARY KEY, amount archon_amount);"
                    + " INSERT INTO archon_prices SELECT g, 1 FROM generate_series(1, 10) g");
        }
        sql(f.local, "UPDATE archon_prices SET amount = 0.25 WHERE id = 3");
        Map<String, String> before = content(f.remote);
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.CHANGES), SyncControl.create(),
                SyncListener.NONE);
        assertEquals("failed", r.status());
        assertEquals(4, r.exitCode(), r.errorMessage());
        assertTrue(r.errorMessage().contains("public.archon_prices"), r.errorMessage());
        assertEquals(before, content(f.remote));
    }

    @Test
    void anOrderTheConstraintsRefuseRollsBackAndSaysToCopyInFull() {
        EngineFixture f = new EngineFixture(Version.PG15, Version.PG15, EngineFixture.tempDir());
        for (var db : List.of(f.local, f.remote)) {
            sql(db, "CREATE TABLE archon_parents (id int PRIMARY KEY); CREATE TABLE archon_children (id int PRIMARY KEY,"
                    + " parent_id int REFERENCES archon_parents (id)); INSERT INTO archon_parents SELECT generate_series(1, 10);"
                    + " INSERT INTO archon_children SELECT g, 1 FROM generate_series(1, 10) g");
        }
        // on the source a child moves to parent 2, and parent 1 is gone: deletes first meet the child still pointing at it
        sql(f.local, "UPDATE archon_children SET parent_id = 2 WHERE id = 1; UPDATE archon_children SET parent_id = 3 WHERE id > 1;"
                + " DELETE FROM archon_parents WHERE id = 1");
        Map<String, String> before = content(f.remote);
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.CHANGES), SyncControl.create(),
                SyncListener.NONE);
        assertEquals(3, r.exitCode(), r.errorMessage());
        assertTrue(r.errorMessage().contains("run again with --mode full") && r.errorMessage().contains("the target is unchanged"),
                r.errorMessage());
        assertEquals(before, content(f.remote));
        SyncResult full = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.FULL), SyncControl.create(),
                SyncListener.NONE);
        assertEquals("completed", full.status(), full.errorMessage());
        assertEquals(content(f.local), content(f.remote));
    }

    @Test
    void autoCopiesEmptyAndMostlyDifferentTablesInFull() {
        EngineFixture f = identical(Version.PG15, Version.PG15);
        sql(f.remote, "DELETE FROM archon_fixture_wide; DELETE FROM archon_diff_cases WHERE id > 2");
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", r.status(), r.errorMessage());
        Map<String, String> modes = r.tables().stream().collect(Collectors.toMap(TableResult::tableName, TableResult::mode));
        assertEquals("full", modes.get("public.archon_fixture_wide"), "empty target table");
        assertEquals("full", modes.get("public.archon_diff_cases"), "7 of 9 rows differ");
        assertEquals("changes", modes.get("public.archon_fixture_types"));
        assertEquals(content(f.local), content(f.remote));
        SyncResult forced = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.FULL), SyncControl.create(),
                SyncListener.NONE);
        assertTrue(forced.tables().stream().allMatch(t -> t.mode().equals("full")));
    }

    /** 300,000 rows on both sides, a third of them changed on the source: the apply takes a few seconds. */
    private static EngineFixture bigChanges() {
        EngineFixture f = new EngineFixture(Version.PG15, Version.PG15, EngineFixture.tempDir());
        String ddl = "CREATE TABLE archon_big (id bigint PRIMARY KEY, payload text, n int);"
                + " INSERT INTO archon_big SELECT g, repeat(md5(g::text), 8), g FROM generate_series(1, 300000) g;";
        sql(f.local, ddl + " UPDATE archon_big SET n = -n WHERE id % 3 = 0");
        sql(f.remote, ddl);
        return f;
    }

    /** Runs the action once the target's import connection is streaming changed rows into its staging table. */
    private static <T> java.util.concurrent.CompletableFuture<T> whenApplying(EngineFixture f, java.util.function.Supplier<T> action) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && count(f.remote, "SELECT count(*) FROM pg_stat_progress_copy p"
                    + " JOIN pg_stat_activity a ON a.pid = p.pid WHERE a.application_name = 'archon-sync import'"
                    + " AND p.tuples_processed > 1000") == 0) {
                Thread.onSpinWait();
            }
            return action.get();
        });
    }

    @Test
    void readersAreNeverBlockedWhileWritersWait() {
        EngineFixture f = bigChanges();
        var probes = whenApplying(f, () -> List.of(tryWithLockTimeout(f, "1s", "SELECT count(*) FROM archon_big"),
                tryWithLockTimeout(f, "100ms", "UPDATE archon_big SET payload = 'writer' WHERE id = 1")));
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.CHANGES), SyncControl.create(),
                SyncListener.NONE);
        assertEquals("completed", r.status(), r.errorMessage());
        assertEquals(List.of("ok", "55P03"), probes.join(), "a reader reads during the run; a writer waits for the lock");
        assertEquals(100000, r.rows());
        assertEquals(content(f.local), content(f.remote));
    }

    @Test
    void backendKilledMidApplyLeavesTheTargetUnchanged() {
        EngineFixture f = bigChanges();
        Map<String, String> before = content(f.remote);
        var kill = whenApplying(f, () -> count(f.remote, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name = 'archon-sync import'"));
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.CHANGES), SyncControl.create(),
                SyncListener.NONE);
        assertEquals(1L, kill.join());
        assertEquals("failed", r.status());
        assertEquals(3, r.exitCode());
        assertEquals(before, content(f.remote));
        assertEquals("failed", historyRow(f.remote, r.syncId()).get("status"));
        assertTrue(EngineFixture.noLocksLeft(f.remote) && EngineFixture.noLocksLeft(f.local));
    }

    @Test
    void cancelMidApplyRollsBack() {
        EngineFixture f = bigChanges();
        Map<String, String> before = content(f.remote);
        SyncControl control = SyncControl.create();
        whenApplying(f, () -> {
            control.cancel();
            return true;
        });
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.CHANGES), control, SyncListener.NONE);
        assertEquals("cancelled", r.status());
        assertEquals(5, r.exitCode());
        assertEquals(before, content(f.remote));
        assertTrue(EngineFixture.noLocksLeft(f.remote) && EngineFixture.noLocksLeft(f.local));
    }

    private static String tryWithLockTimeout(EngineFixture f, String timeout, String sql) {
        try (var c = f.remote.open("test probe")) {
            dev.archon.sync.db.Sql.execute(c, "SET lock_timeout = '" + timeout + "'");
            dev.archon.sync.db.Sql.execute(c, sql);
            return "ok";
        } catch (java.sql.SQLException e) {
            return e.getSQLState();
        }
    }
}
