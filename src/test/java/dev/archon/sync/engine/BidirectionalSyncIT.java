package dev.archon.sync.engine;

import static dev.archon.sync.engine.EngineFixture.content;
import static dev.archon.sync.engine.EngineFixture.count;
import static dev.archon.sync.engine.EngineFixture.historyRow;
import static dev.archon.sync.engine.EngineFixture.sql;
import static dev.archon.sync.engine.EngineFixture.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ErrorCode;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.delta.ConflictPolicy;
import dev.archon.sync.testing.TestServers.Version;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bidirectional sync against two real databases: every classification, conflicts, the base, failures. */
class BidirectionalSyncIT {
    private static final String FIXTURE = EngineFixture.resource("/fixtures/all_types.sql");

    private static EngineFixture twoCopies() {
        EngineFixture f = new EngineFixture(Version.PG15, Version.PG15, EngineFixture.tempDir());
        sql(f.local, FIXTURE);
        sql(f.remote, FIXTURE);
        return f;
    }

    private static SyncResult merge(EngineFixture f, ConflictPolicy policy, boolean allowMassDelete) {
        return f.engine.merge(f.request(Direction.BIDIRECTIONAL), new MergeOptions(policy, allowMassDelete), SyncControl.create(),
                SyncListener.NONE);
    }

    private static SyncResult merge(EngineFixture f) {
        return merge(f, ConflictPolicy.FAIL, false);
    }

    /** Two copies that completed one bidirectional run: the base exists. */
    private static EngineFixture withBase() {
        EngineFixture f = twoCopies();
        SyncResult first = merge(f);
        assertEquals("completed", first.status(), first.errorMessage());
        return f;
    }

    private static String name(Database db, int id) {
        return string(db, "SELECT name FROM archon_fixture_tree WHERE id = " + id);
    }

    @Test
    void withoutABaseOneSidedRowsAreCopiedAndNothingIsDeleted() {
        EngineFixture f = twoCopies();
        sql(f.local, "INSERT INTO archon_fixture_tree VALUES (6, 1, 'local only')");
        sql(f.remote, "INSERT INTO archon_fixture_tree VALUES (7, 1, 'remote only'); DELETE FROM archon_fixture_tree WHERE id = 3");
        SyncResult r = merge(f);
        assertEquals("completed", r.status(), r.errorMessage());
        assertEquals(content(f.local), content(f.remote));
        assertEquals("grandchild", name(f.remote, 3), "without a base a missing row is copied back, never deleted");
        assertEquals("local only", name(f.remote, 6));
        assertEquals("remote only", name(f.local, 7));
        for (Database db : List.of(f.local, f.remote)) {
            Map<String, String> row = historyRow(db, r.syncId());
            assertEquals("bidirectional", row.get("direction"));
            assertEquals("completed", row.get("status"));
            assertTrue(row.get("tables_synced").contains("to-local"), row.get("tables_synced"));
            assertEquals("3", row.get("total_rows"), "the rows the merge planned to write (2 to remote, 1 to local), not 0");
            assertEquals(row.get("total_rows"), row.get("synced_rows"));
            assertEquals(1, count(db, "SELECT count(*) FROM archon_sync_base_tables WHERE table_name = 'public.archon_fixture_tree'"
                    + " AND sync_id = '" + r.syncId() + "'"));
        }
    }

    @Test
    void eachSidesChangesAreCarriedAndTheSameChangeIsNoConflict() {
        EngineFixture f = withBase();
        sql(f.local, "UPDATE archon_fixture_cycle_a SET note = 'local edit' WHERE id = 1;"
                + " DELETE FROM archon_fixture_tree WHERE id = 4; INSERT INTO archon_fixture_tree VALUES (8, 1, 'new on local');"
                + " UPDATE archon_fixture_cycle_b SET note = 'same' WHERE id = 20");
        sql(f.remote, "UPDATE archon_fixture_wide SET big_text = 'remote edit' WHERE id = 3;"
                + " DELETE FROM archon_fixture_tree WHERE id = 3; INSERT INTO archon_fixture_tree VALUES (9, 2, 'new on remote');"
                + " UPDATE archon_fixture_cycle_b SET note = 'same' WHERE id = 20");
        SyncResult r = merge(f);
        assertEquals("completed", r.status(), r.errorMessage());
        assertEquals(content(f.local), content(f.remote));
        for (Database db : List.of(f.local, f.remote)) {
            assertEquals("local edit", string(db, "SELECT note FROM archon_fixture_cycle_a WHERE id = 1"));
            assertEquals("remote edit", string(db, "SELECT big_text FROM archon_fixture_wide WHERE id = 3"));
            assertEquals(0, count(db, "SELECT count(*) FROM archon_fixture_tree WHERE id IN (3, 4)"));
            assertEquals("new on local", name(db, 8));
            assertEquals("new on remote", name(db, 9));
        }
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> merge = (Map<String, Map<String, Object>>) r.metrics().get("merge");
        Map<String, Object> tree = merge.get("public.archon_fixture_tree");
        assertEquals("{inserts=1, updates=0, deletes=1}", tree.get("to_local").toString().replaceAll("SideCounts\\[(.*)\\]", "{$1}"));
        assertEquals(0L, ((Number) merge.get("public.archon_fixture_cycle_b").get("conflicts_unresolved")).longValue());
        assertTrue(r.verification().stream().allMatch(TableVerification::match));
    }

    @Test
    void conflictsWriteNothingAreListedAndThenResolveEitherWay() {
        EngineFixture f = withBase();
        sql(f.local, "UPDATE archon_fixture_tree SET name = 'L' WHERE id = 2; UPDATE archon_fixture_wide SET big_text = 'kept' WHERE id = 3;"
                + " INSERT INTO archon_fixture_tree VALUES (8, 1, 'carried')");
        sql(f.remote, "UPDATE archon_fixture_tree SET name = 'R' WHERE id = 2; DELETE FROM archon_fixture_wide WHERE id = 3");
        Map<String, String> localBefore = content(f.local);
        Map<String, String> remoteBefore = content(f.remote);
        SyncResult refused = merge(f);
        assertEquals(ErrorCode.CONFLICTS.exitCode(), refused.exitCode(), refused.errorMessage());
        assertEquals(localBefore, content(f.local), "nothing written on local");
        assertEquals(remoteBefore, content(f.remote), "nothing written on remote");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> conflicts = (List<Map<String, Object>>) refused.metrics().get("conflicts");
        assertEquals(2, conflicts.size(), conflicts.toString());
        Map<String, Object> tree = conflicts.stream().filter(c -> c.get("table").equals("public.archon_fixture_tree")).findFirst().orElseThrow();
        assertEquals("id=2", tree.get("key"));
        assertEquals("update/update", tree.get("kind"));
        assertEquals(List.of(Map.of("column", "name", "local", "L", "remote", "R")), tree.get("columns"));
        assertTrue(conflicts.stream().anyMatch(c -> c.get("kind").equals("update/delete")), conflicts.toString());
        for (Database db : List.of(f.local, f.remote)) {
            Map<String, String> row = historyRow(db, refused.syncId());
            assertEquals("failed", row.get("status"));
            assertTrue(row.get("metadata").contains("update/update"), row.get("metadata"));
        }

        SyncResult local = merge(f, ConflictPolicy.LOCAL, false);
        assertEquals("completed", local.status(), local.errorMessage());
        assertEquals(content(f.local), content(f.remote));
        assertEquals("L", name(f.remote, 2));
        assertEquals("kept", string(f.remote, "SELECT big_text FROM archon_fixture_wide WHERE id = 3"));
        assertEquals("carried", name(f.remote, 8));
        assertNotEquals(null, local.metrics().get("backup_remote"), "the losing versions are in the run's backup");

        sql(f.local, "UPDATE archon_fixture_tree SET name = 'L2' WHERE id = 2");
        sql(f.remote, "UPDATE archon_fixture_tree SET name = 'R2' WHERE id = 2");
        SyncResult remote = merge(f, ConflictPolicy.REMOTE, false);
        assertEquals("completed", remote.status(), remote.errorMessage());
        assertEquals("R2", name(f.local, 2));
        assertEquals(content(f.local), content(f.remote));
    }

    @Test
    void eachSidesBackupHoldsWhatTheMergeReplacedThereAndBringsThatSideBack() {
        EngineFixture f = withBase();
        sql(f.local, "UPDATE archon_fixture_tree SET name = 'L' WHERE id = 2; INSERT INTO archon_fixture_tree VALUES (8, 1, 'carried');"
                + " DELETE FROM archon_fixture_wide WHERE id = 3");
        sql(f.remote, "UPDATE archon_fixture_tree SET name = 'R' WHERE id = 2; UPDATE archon_fixture_tree SET name = 'remote only' WHERE id = 4");
        Map<String, String> localBefore = content(f.local);
        Map<String, String> remoteBefore = content(f.remote);
        SyncResult r = merge(f, ConflictPolicy.LOCAL, false);
        assertEquals("completed", r.status(), r.errorMessage());
        assertEquals(content(f.local), content(f.remote));
        assertEquals("L", name(f.remote, 2));
        assertEquals("remote only", name(f.local, 4));
        assertTrue(r.verification().stream().allMatch(TableVerification::match), r.verification().toString());
        assertEquals(r.verification().size(), r.verification().stream().map(v -> v.tableName()).distinct().count());
        assertTrue(r.verification().stream().anyMatch(v -> v.tableName().equals("public.archon_fixture_tree (local)")));
        assertTrue(r.verification().stream().anyMatch(v -> v.tableName().equals("public.archon_fixture_wide (remote)")));
        for (DatabaseRole side : List.of(DatabaseRole.LOCAL, DatabaseRole.REMOTE)) {
            Path backup = Path.of((String) r.metrics().get("backup_" + side.name().toLowerCase(java.util.Locale.ROOT)));
            SyncResult restored = f.engine.restore(backup, side, f.request(Direction.BIDIRECTIONAL).withBackup(false, f.backups),
                    SyncControl.create(), SyncListener.NONE);
            assertEquals("completed", restored.status(), restored.errorMessage());
        }
        assertEquals(localBefore, content(f.local), "the local backup brought back the local side as it was");
        assertEquals(remoteBefore, content(f.remote), "the remote backup brought back the remote version that lost");
    }

    @Test
    void newerLetsTheLaterUpdatedAtWinPerRow() throws Exception {
        EngineFixture f = withBase();
        sql(f.remote, "UPDATE archon_fixture_events SET name = 'remote first' WHERE id = 1;"
                + " UPDATE archon_fixture_tree SET name = 'R' WHERE id = 2");
        Thread.sleep(20);
        sql(f.local, "UPDATE archon_fixture_events SET name = 'local later' WHERE id = 1;"
                + " UPDATE archon_fixture_tree SET name = 'L' WHERE id = 2;"
                + " UPDATE archon_fixture_events SET name = 'local earlier' WHERE id = 2");
        Thread.sleep(20);
        sql(f.remote, "UPDATE archon_fixture_events SET name = 'remote latest' WHERE id = 2");
        SyncResult r = merge(f, ConflictPolicy.NEWER, false);
        // the tree has no updated_at: its conflict falls back to fail, so nothing is written
        assertEquals(ErrorCode.CONFLICTS.exitCode(), r.exitCode(), r.errorMessage());
        assertEquals(List.of("public.archon_fixture_tree"), r.metrics().get("newer_not_applicable"));
        sql(f.remote, "UPDATE archon_fixture_tree SET name = 'L' WHERE id = 2");
        SyncResult ok = merge(f, ConflictPolicy.NEWER, false);
        assertEquals("completed", ok.status(), ok.errorMessage());
        for (Database db : List.of(f.local, f.remote)) {
            assertEquals("local later", string(db, "SELECT name FROM archon_fixture_events WHERE id = 1"));
            assertEquals("remote latest", string(db, "SELECT name FROM archon_fixture_events WHERE id = 2"));
        }
        assertEquals(content(f.local), content(f.remote));
    }

    @Test
    void deletingMostOfATableIsRefusedUnlessAllowed() {
        EngineFixture f = withBase();
        sql(f.local, "DELETE FROM archon_fixture_tree");
        Map<String, String> remoteBefore = content(f.remote);
        SyncResult refused = merge(f);
        assertEquals(ErrorCode.REFUSED.exitCode(), refused.exitCode(), refused.errorMessage());
        assertTrue(refused.errorMessage().contains("public.archon_fixture_tree (5 of 5"), refused.errorMessage());
        assertEquals(remoteBefore, content(f.remote));
        SyncResult allowed = merge(f, ConflictPolicy.FAIL, true);
        assertEquals("completed", allowed.status(), allowed.errorMessage());
        assertEquals(0, count(f.remote, "SELECT count(*) FROM archon_fixture_tree"));
    }

    @Test
    void aRunThatDiesBetweenTheTwoCommitsConvergesOnTheNextRun() {
        EngineFixture f = withBase();
        // the remote refuses to commit: a deferred foreign key, checked only at COMMIT, that the carried row breaks
        sql(f.remote, "CREATE TABLE crash_guard (name text PRIMARY KEY); INSERT INTO crash_guard SELECT name FROM archon_fixture_tree;"
                + " ALTER TABLE archon_fixture_tree ADD CONSTRAINT crash FOREIGN KEY (name) REFERENCES crash_guard (name)"
                + " DEFERRABLE INITIALLY DEFERRED NOT VALID");
        sql(f.local, "INSERT INTO archon_fixture_tree VALUES (8, 1, 'from local')");
        sql(f.remote, "UPDATE archon_fixture_cycle_a SET note = 'from remote' WHERE id = 2");
        SyncResult died = merge(f);
        assertEquals("failed", died.status());
        assertTrue(died.errorMessage().startsWith("local committed, remote rolled back"), died.errorMessage());
        assertEquals("from remote", string(f.local, "SELECT note FROM archon_fixture_cycle_a WHERE id = 2"), "local committed");
        assertEquals(0, count(f.remote, "SELECT count(*) FROM archon_fixture_tree WHERE id = 8"), "remote rolled back");
        for (Database db : List.of(f.local, f.remote)) {
            assertTrue(historyRow(db, died.syncId()).get("metadata").contains("\"local\": \"committed\""),
                    historyRow(db, died.syncId()).get("metadata"));
        }
        // the local database committed: the backup of what it replaced stays (and is the one the row names); the remote's goes
        assertEquals(List.of(died.syncId() + "_local.archon-backup"), archivesOf(f, died.syncId()));
        Map<String, String> row = historyRow(f.local, died.syncId());
        assertTrue(row.get("backup_file_path").endsWith(died.syncId() + "_local.archon-backup"), row.toString());
        assertTrue(row.get("metadata").contains("\"backup_kept_local\": \"the local database committed"), row.get("metadata"));
        assertTrue(row.get("metadata").contains("the remote database rolled back, so it still holds what its backup saved"),
                row.get("metadata"));
        sql(f.remote, "ALTER TABLE archon_fixture_tree DROP CONSTRAINT crash; DROP TABLE crash_guard");
        SyncResult next = merge(f);
        assertEquals("completed", next.status(), next.errorMessage());
        assertEquals(content(f.local), content(f.remote));
        assertEquals("from local", name(f.remote, 8));
        assertEquals("from remote", string(f.remote, "SELECT note FROM archon_fixture_cycle_a WHERE id = 2"));
    }

    @Test
    void aMergeThatFailsAfterItsBackupsLeavesBothSidesAsTheyWereAndDeletesBothBackups() {
        EngineFixture f = withBase();
        // the remote refuses the carried row while it is written (after both backups): nothing commits anywhere
        sql(f.remote, "ALTER TABLE archon_fixture_tree ADD CONSTRAINT no_l CHECK (name <> 'L') NOT VALID");
        sql(f.local, "UPDATE archon_fixture_tree SET name = 'L' WHERE id = 2");
        sql(f.remote, "UPDATE archon_fixture_tree SET name = 'R' WHERE id = 4");
        Map<String, String> localBefore = content(f.local);
        Map<String, String> remoteBefore = content(f.remote);
        SyncResult r = merge(f);
        assertEquals("failed", r.status(), r.errorMessage());
        assertTrue(r.metrics().containsKey("backup_local") && r.metrics().containsKey("backup_remote"), r.metrics().toString());
        assertEquals(localBefore, content(f.local));
        assertEquals(remoteBefore, content(f.remote));
        assertEquals(List.of(), archivesOf(f, r.syncId()), "both databases rolled back: neither backup is needed");
        Map<String, String> row = historyRow(f.local, r.syncId());
        assertEquals(null, row.get("backup_file_path"));
        assertTrue(row.get("metadata").contains("the run rolled back on both databases, so each still holds what its backup saved"),
                row.get("metadata"));
    }

    /** The archives run {@code syncId} left in the fixture's backup directory, by file name. */
    private static List<String> archivesOf(EngineFixture f, String syncId) {
        try (var files = java.nio.file.Files.list(f.backups)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(syncId)).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anUndoForgetsTheBaseOfTheTablesItRestores() {
        EngineFixture f = withBase();
        sql(f.local, "UPDATE archon_fixture_tree SET name = 'one way' WHERE id = 1");
        SyncResult oneWay = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", oneWay.status(), oneWay.errorMessage());
        assertTrue(count(f.remote, "SELECT count(*) FROM archon_sync_base_tables") > 0);
        SyncResult undo = f.engine.undo(oneWay.syncId(), false, f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(),
                SyncListener.NONE);
        assertEquals("completed", undo.status(), undo.errorMessage());
        assertEquals(0, count(f.remote, "SELECT count(*) FROM archon_sync_base_tables WHERE table_name = 'public.archon_fixture_tree'"));
        assertEquals(0, count(f.remote, "SELECT count(*) FROM archon_sync_base WHERE table_name = 'public.archon_fixture_tree'"));
        assertFalse(count(f.local, "SELECT count(*) FROM archon_sync_base_tables WHERE table_name = 'public.archon_fixture_tree'") == 0,
                "the other side keeps its copy, but a base needs both");
        SyncResult after = merge(f);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> merge = (Map<String, Map<String, Object>>) after.metrics().get("merge");
        assertEquals(null, merge.get("public.archon_fixture_tree").get("base"), "no base: the restored table merges as a first run");
    }

    @Test
    void rowsInsertedOnBothSidesUnderTheSameSerialKeyBothSurvive() {
        EngineFixture f = withBase();
        long before = count(f.local, "SELECT max(id) FROM archon_fixture_types");
        sql(f.local, "INSERT INTO archon_fixture_types (body) VALUES ('crawled on local')");
        sql(f.remote, "INSERT INTO archon_fixture_types (body) VALUES ('crawled on remote')");
        assertEquals(before + 1, count(f.remote, "SELECT max(id) FROM archon_fixture_types"), "the same generated key on both");
        SyncResult r = merge(f);
        assertEquals("completed", r.status(), r.errorMessage());
        assertEquals(content(f.local), content(f.remote));
        for (Database db : List.of(f.local, f.remote)) {
            assertEquals(before + 1, count(db, "SELECT id FROM archon_fixture_types WHERE body = 'crawled on local'"));
            assertEquals(before + 2, count(db, "SELECT id FROM archon_fixture_types WHERE body = 'crawled on remote'"));
            sql(db, "INSERT INTO archon_fixture_types (body) VALUES ('next')");
            assertEquals(before + 3, count(db, "SELECT id FROM archon_fixture_types WHERE body = 'next'"),
                    "the sequence is past every used value");
        }
        assertTrue(r.metrics().get("generated_keys_renumbered_on_remote").toString().contains((before + 1) + " -> " + (before + 2)),
                r.metrics().toString());
    }

    @Test
    void rowsEqualApartFromTheirKeyAreOneRowAndTheLowerKeySurvives() {
        EngineFixture f = withBase();
        sql(f.local, "CREATE UNIQUE INDEX tree_name ON archon_fixture_tree (name); INSERT INTO archon_fixture_tree VALUES (9, 1, 'same name')");
        sql(f.remote, "CREATE UNIQUE INDEX tree_name ON archon_fixture_tree (name); INSERT INTO archon_fixture_tree VALUES (8, 1, 'same name')");
        SyncResult r = merge(f);
        assertEquals("completed", r.status(), r.errorMessage());
        for (Database db : List.of(f.local, f.remote)) {
            assertEquals(8, count(db, "SELECT id FROM archon_fixture_tree WHERE name = 'same name'"));
            assertEquals(6, count(db, "SELECT count(*) FROM archon_fixture_tree"));
        }
        assertEquals(content(f.local), content(f.remote));
        assertTrue(r.metrics().get("natural_key_conflicts_resolved").toString().contains("-> remote (equal apart from the key"),
                r.metrics().toString());
    }
}
