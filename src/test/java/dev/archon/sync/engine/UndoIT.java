package dev.archon.sync.engine;

import static dev.archon.sync.engine.EngineFixture.content;
import static dev.archon.sync.engine.EngineFixture.historyRow;
import static dev.archon.sync.engine.EngineFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.testing.TestServers.Version;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Restore and undo bring back the exact previous content, under the same transaction rules. */
class UndoIT {
    private static final String FIXTURE = EngineFixture.resource("/fixtures/all_types.sql");

    private static EngineFixture synced(Map<String, String>[] before) {
        EngineFixture f = new EngineFixture(Version.PG15, Version.PG15, EngineFixture.tempDir());
        sql(f.local, FIXTURE);
        sql(f.remote, FIXTURE);
        sql(f.remote, "DELETE FROM archon_fixture_tree WHERE id > 3; UPDATE archon_fixture_types SET money_exact = 7;"
                + " SELECT setval('archon_fixture_types_id_seq', 77)");
        before[0] = content(f.remote);
        return f;
    }

    @Test
    @SuppressWarnings("unchecked")
    void undoBringsBackTheExactPreviousContentIncludingSequences() {
        Map<String, String>[] before = new Map[1];
        EngineFixture f = synced(before);
        SyncResult sync = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", sync.status(), sync.errorMessage());
        assertNotEquals(before[0], content(f.remote));
        SyncResult undo = f.engine.undo(sync.syncId(), false, f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(),
                SyncListener.NONE);
        assertEquals("completed", undo.status(), undo.errorMessage());
        assertEquals(before[0], content(f.remote));
        Map<String, String> row = historyRow(f.remote, undo.syncId());
        assertTrue(row.get("metadata").contains("\"undone_sync_id\": \"" + sync.syncId() + "\""), row.get("metadata"));
        assertTrue(row.get("metadata").contains("\"operation\": \"undo\""), row.get("metadata"));
        assertTrue(row.get("backup_file_path") != null, "undo takes a backup first");
        // The undo itself can be undone: back to the synced content.
        SyncResult redo = f.engine.undo(undo.syncId(), false, f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(),
                SyncListener.NONE);
        assertEquals("completed", redo.status(), redo.errorMessage());
        assertEquals(content(f.local), content(f.remote));
    }

    @Test
    @SuppressWarnings("unchecked")
    void undoRefusesAfterALaterChangeUnlessForced() {
        Map<String, String>[] before = new Map[1];
        EngineFixture f = synced(before);
        SyncResult sync = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE);
        sql(f.remote, "UPDATE archon_fixture_tree SET name = 'edited later' WHERE id = 1");
        Map<String, String> edited = content(f.remote);
        ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> f.engine.undo(sync.syncId(), false,
                f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE));
        assertEquals(ErrorCode.REFUSED, e.code());
        assertTrue(e.getMessage().contains("public.archon_fixture_tree") && e.getMessage().contains("--force"), e.getMessage());
        assertEquals(edited, content(f.remote));
        SyncResult forced = f.engine.undo(sync.syncId(), true, f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(),
                SyncListener.NONE);
        assertEquals("completed", forced.status(), forced.errorMessage());
        // A changes-only run's backup holds the rows it replaced: a forced undo puts those back and keeps the
        // later edit of a row the run never touched.
        assertEquals("edited later", EngineFixture.string(f.remote, "SELECT name FROM archon_fixture_tree WHERE id = 1"));
        sql(f.remote, "UPDATE archon_fixture_tree SET name = 'root' WHERE id = 1");
        assertEquals(before[0], content(f.remote));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aForcedUndoOfAFullCopyBringsBackTheWholePreviousContent() {
        Map<String, String>[] before = new Map[1];
        EngineFixture f = synced(before);
        SyncResult sync = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.FULL), SyncControl.create(),
                SyncListener.NONE);
        sql(f.remote, "UPDATE archon_fixture_tree SET name = 'edited later' WHERE id = 1");
        SyncResult forced = f.engine.undo(sync.syncId(), true, f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(),
                SyncListener.NONE);
        assertEquals("completed", forced.status(), forced.errorMessage());
        assertEquals(before[0], content(f.remote));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFullCopyAfterAnEarlierSyncBacksUpOnlyTheRowsItChangesAndUndoBringsBackTheWholeTarget() throws Exception {
        Map<String, String>[] before = new Map[1];
        EngineFixture f = synced(before);
        // the first run (no base yet) saves whole tables
        SyncResult first = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.FULL), SyncControl.create(),
                SyncListener.NONE);
        assertEquals("completed", first.status(), first.errorMessage());
        assertEquals("whole tables", first.metrics().get("backup_content"));
        // then both sides move on: the source's changes and one on the target the reload overwrites
        sql(f.local, "UPDATE archon_fixture_tree SET name = 'renamed' WHERE id = 2; DELETE FROM archon_fixture_tree WHERE id = 3;"
                + " INSERT INTO archon_fixture_tree (id, parent_id, name) VALUES (6, 1, 'new child');"
                + " UPDATE archon_fixture_types SET money_exact = 8 WHERE id = (SELECT min(id) FROM archon_fixture_types)");
        sql(f.remote, "UPDATE archon_fixture_tree SET name = 'edited on the target' WHERE id = 5;"
                + " SELECT setval('archon_fixture_types_id_seq', 99)");
        Map<String, String> beforeFull = content(f.remote);
        SyncResult full = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.FULL), SyncControl.create(),
                SyncListener.NONE);
        assertEquals("completed", full.status(), full.errorMessage());
        assertEquals(content(f.local), content(f.remote));
        assertEquals("the rows the reload changes (5), found with the base's hashes", full.metrics().get("backup_content"));
        try (dev.archon.sync.backup.BackupReader reader = dev.archon.sync.backup.BackupReader.open(Path.of(full.backupFile()))) {
            long rows = reader.manifest().entries().stream().filter(e -> e.table().equals("archon_fixture_tree")
                    && dev.archon.sync.backup.BackupEntry.ROWS.equals(e.content())).mapToLong(dev.archon.sync.backup.BackupEntry::rowCount)
                    .sum();
            assertEquals(3, rows, "the tree's replaced and deleted rows (2, 3, 5), not the whole table");
        }
        SyncResult undo = f.engine.undo(full.syncId(), false, f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(),
                SyncListener.NONE);
        assertEquals("completed", undo.status(), undo.errorMessage());
        assertEquals(beforeFull, content(f.remote));
    }

    @Test
    @SuppressWarnings("unchecked")
    void restoreOfABackupFileAndRefusalsWithoutOne() {
        Map<String, String>[] before = new Map[1];
        EngineFixture f = synced(before);
        SyncResult sync = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE);
        SyncResult restored = f.engine.restore(Path.of(sync.backupFile()), DatabaseRole.REMOTE,
                f.request(Direction.LOCAL_TO_REMOTE).withBackup(false, f.backups), SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", restored.status(), restored.errorMessage());
        assertEquals(before[0], content(f.remote));
        assertEquals("restore", EngineFixture.string(f.remote, "SELECT metadata->>'operation' FROM archon_sync_history"
                + " WHERE sync_id = '" + restored.syncId() + "'"));

        SyncResult noBackup = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withBackup(false, f.backups),
                SyncControl.create(), SyncListener.NONE);
        ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> f.engine.undo(noBackup.syncId(), true,
                f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE));
        assertEquals(ErrorCode.REFUSED, e.code());
        assertTrue(e.getMessage().contains("--no-backup"), e.getMessage());
        ArchonSyncException unknown = assertThrows(ArchonSyncException.class, () -> f.engine.undo("sync_20200101_000000_abcd",
                false, f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, unknown.code());
    }
}
