package dev.archon.sync.engine;

import static dev.archon.sync.engine.EngineFixture.content;
import static dev.archon.sync.engine.EngineFixture.count;
import static dev.archon.sync.engine.EngineFixture.historyRow;
import static dev.archon.sync.engine.EngineFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.backup.BackupReader;
import dev.archon.sync.testing.TestServers.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Full syncs between real servers: content, types, history, backups, refusals. */
class FullSyncIT {
    private static final String FIXTURE = EngineFixture.resource("/fixtures/all_types.sql");

    private static EngineFixture fixtureWithOlderTarget(Version local, Version remote) {
        EngineFixture f = new EngineFixture(local, remote, EngineFixture.tempDir());
        sql(f.local, FIXTURE);
        sql(f.remote, FIXTURE);
        // The target holds an older copy: fewer, changed rows.
        sql(f.remote, "DELETE FROM archon_fixture_tree WHERE parent_id IS NOT NULL;"
                + " UPDATE archon_fixture_types SET money_exact = 1;"
                + " DELETE FROM archon_fixture_wide;");
        return f;
    }

    @ParameterizedTest
    @CsvSource({"PG15, PG15", "PG15, PG17"})
    void everyTypeRoundTripsExactly(Version localVersion, Version remoteVersion) {
        EngineFixture f = fixtureWithOlderTarget(localVersion, remoteVersion);
        Map<String, String> source = content(f.local);
        assertNotEquals(source, content(f.remote));
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", r.status(), r.errorMessage());
        assertEquals(0, r.exitCode());
        assertEquals(source, content(f.remote), "target content equals source (checked independently of the engine)");
        assertTrue(r.verification().stream().allMatch(TableVerification::match));
        boolean sameMajor = localVersion == remoteVersion;
        assertTrue(r.tables().stream().anyMatch(t -> t.format().equals(sameMajor ? "binary" : "text")));
        Map<String, String> row = historyRow(f.remote, r.syncId());
        assertEquals("completed", row.get("status"));
        assertEquals("100", row.get("percent_complete"));
        assertEquals("local", row.get("source_db"));
        assertEquals("remote", row.get("target_db"));
        assertEquals("CLI", row.get("triggered_by"));
        assertTrue(row.get("tables_synced").contains("\"table_name\""), row.get("tables_synced"));
        assertTrue(row.get("verification_results").contains("\"all_match\": true"), row.get("verification_results"));
        assertTrue(row.get("metadata").contains("lock_window_seconds"), row.get("metadata"));
        assertNotNull(row.get("backup_file_path"));
        assertTrue(EngineFixture.noLocksLeft(f.remote) && EngineFixture.noLocksLeft(f.local));
    }

    @Test
    void backupHoldsExactlyWhatWasReplacedAndIsPrivate() throws Exception {
        EngineFixture f = fixtureWithOlderTarget(Version.PG15, Version.PG15);
        long oldTypes = count(f.remote, "SELECT count(*) FROM archon_fixture_types");
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE);
        Path backup = Path.of(r.backupFile());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        assertTrue(BackupReader.validate(backup).ok());
        try (BackupReader reader = BackupReader.open(backup)) {
            assertEquals(r.syncId(), reader.manifest().syncId());
            assertEquals(oldTypes, reader.manifest().entry("public", "archon_fixture_types").rowCount());
            assertEquals(0, reader.manifest().entry("public", "archon_fixture_wide").rowCount());
        }
    }

    @Test
    void dryRunWritesNothingAnywhere() {
        EngineFixture f = fixtureWithOlderTarget(Version.PG15, Version.PG15);
        Map<String, String> before = content(f.remote);
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withDryRun(true), SyncControl.create(), SyncListener.NONE);
        assertEquals("dry-run", r.status());
        assertEquals(before, content(f.remote));
        assertEquals(0, count(f.remote, "SELECT count(*) FROM archon_sync_history"));
        assertEquals(0, count(f.local, "SELECT count(*) FROM archon_sync_history"));
        assertTrue(Files.notExists(f.backups) || f.backups.toFile().list().length == 0);
    }

    @Test
    void tableOutsideTheSetReachableByCascadeIsRefused() {
        EngineFixture f = fixtureWithOlderTarget(Version.PG15, Version.PG15);
        sql(f.remote, "CREATE TABLE notes_outside (id int PRIMARY KEY, tree_id int REFERENCES archon_fixture_tree(id)"
                + " ON DELETE CASCADE); INSERT INTO notes_outside SELECT 1, min(id) FROM archon_fixture_tree");
        Map<String, String> before = content(f.remote);
        ArchonSyncException e = assertThrows(ArchonSyncException.class,
                () -> f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE));
        assertEquals(ErrorCode.REFUSED, e.code());
        assertTrue(String.join("\n", e.details()).contains("public.notes_outside references public.archon_fixture_tree"),
                e.details().toString());
        assertEquals(before, content(f.remote));
        assertEquals(1, count(f.remote, "SELECT count(*) FROM notes_outside"));
        assertEquals(0, count(f.remote, "SELECT count(*) FROM archon_sync_history"));
    }

    @Test
    void roleThatNeitherOwnsNorBypassesRlsIsRefused() {
        EngineFixture f = fixtureWithOlderTarget(Version.PG15, Version.PG15);
        String reader = "reader_" + System.nanoTime();
        sql(f.local, "CREATE ROLE " + reader + " LOGIN PASSWORD 'pw'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + reader
                + "; ALTER TABLE archon_fixture_types ENABLE ROW LEVEL SECURITY");
        var limited = new dev.archon.sync.db.Database(f.local.config().withCredentials(reader, "pw"));
        SyncEngine engine = new SyncEngine(limited, f.remote);
        Preflight p = engine.preflight(f.request(Direction.LOCAL_TO_REMOTE));
        assertTrue(p.errors().stream().anyMatch(c -> c.name().equals("permissions")
                && c.details().stream().anyMatch(d -> d.contains("row level security") && d.contains("archon_fixture_types"))),
                p.errors().toString());
        ArchonSyncException e = assertThrows(ArchonSyncException.class,
                () -> engine.sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE));
        assertEquals(6, e.code().exitCode());
    }

    @Test
    void unwritableBackupDirectoryIsRefusedByValidationAndLeavesTheTargetUnchanged() throws Exception {
        EngineFixture f = fixtureWithOlderTarget(Version.PG15, Version.PG15);
        Path file = EngineFixture.tempDir().resolve("not-a-dir.txt");
        Files.writeString(file, "a file, not a directory");
        Map<String, String> before = content(f.remote);
        long rows = EngineFixture.count(f.remote, "SELECT count(*) FROM archon_sync_history");
        ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE)
                .withBackup(true, file.resolve("backups")), SyncControl.create(), SyncListener.NONE));
        assertEquals(ErrorCode.REFUSED, e.code());
        assertTrue(e.getMessage().contains("backup directory"), e.getMessage());
        assertEquals(before, content(f.remote));
        assertEquals(rows, EngineFixture.count(f.remote, "SELECT count(*) FROM archon_sync_history"), "nothing recorded");
        assertTrue(EngineFixture.noLocksLeft(f.remote));
    }

    @Test
    void verificationMismatchRollsBackAndNamesTheTable() {
        EngineFixture f = new EngineFixture(Version.PG15, Version.PG15, EngineFixture.tempDir());
        // Same type name on both sides, but the target's domain rounds: the loaded values differ.
        sql(f.local, "CREATE DOMAIN archon_amount AS numeric(12,4); CREATE TABLE archon_prices (id int PRIMARY KEY,"
                + " amount archon_amount); INSERT INTO archon_prices VALUES (1, 1.2345), (2, 2.5)");
        sql(f.remote, "CREATE DOMAIN archon_amount AS numeric(12,1); CREATE TABLE archon_prices (id int PRIMARY KEY,"
                + " amount archon_amount); INSERT INTO archon_prices VALUES (9, 9.9)");
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE);
        assertEquals("failed", r.status());
        assertEquals(4, r.exitCode());
        assertTrue(r.errorMessage().contains("public.archon_prices"), r.errorMessage());
        assertEquals("9:9.9", EngineFixture.string(f.remote, "SELECT string_agg(id || ':' || amount, ',') FROM archon_prices"));
        Map<String, String> row = historyRow(f.remote, r.syncId());
        assertEquals("{\"performed\": false}", row.get("verification_results"), "a rolled-back run claims no verdict");
        assertTrue(row.get("metadata").contains("\"match\": false"), "the verdicts before the rollback are in metadata.partial");

        // a full copy sums the target's checksum from the row hashes its base takes: the same mismatch is found
        SyncResult full = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.FULL), SyncControl.create(),
                SyncListener.NONE);
        assertEquals(4, full.exitCode(), full.errorMessage());
        assertTrue(full.errorMessage().contains("public.archon_prices"), full.errorMessage());
        assertEquals("9:9.9", EngineFixture.string(f.remote, "SELECT string_agg(id || ':' || amount, ',') FROM archon_prices"));
    }

    @Test
    void aFullCopyReadsTheTargetOnceForItsChecksumsAndItsBase() {
        EngineFixture f = fixtureWithOlderTarget(Version.PG15, Version.PG15);
        Map<String, String> source = content(f.local);
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(SyncMode.FULL), SyncControl.create(),
                SyncListener.NONE);
        assertEquals("completed", r.status(), r.errorMessage());
        assertEquals(source, content(f.remote));
        assertTrue(r.verification().stream().allMatch(TableVerification::match));
        long fromBase = ((Number) r.metrics().get("target_checksums_from_base_hashes")).longValue();
        assertTrue(fromBase > 0 && fromBase <= r.verification().size(), "keyed tables' checksums are summed from the hashes"
                + " the base takes: " + r.metrics());
        assertEquals("written", r.metrics().get("base_remote"));
        assertEquals("written", r.metrics().get("base_local"));
    }

    @Test
    void concurrentSyncIsRefusedAndStaleRunningRowRecovered() throws Exception {
        EngineFixture f = fixtureWithOlderTarget(Version.PG15, Version.PG15);
        sql(f.remote, "INSERT INTO archon_sync_history (sync_id, direction, status) VALUES ('sync_stale', 'local-to-remote', 'running')");
        try (var holder = f.remote.open("archon-sync other run")) {
            assertTrue(dev.archon.sync.db.AdvisoryLock.tryLock(holder));
            SyncBusyException busy = assertThrows(SyncBusyException.class,
                    () -> f.engine.sync(f.request(Direction.REMOTE_TO_LOCAL), SyncControl.create(), SyncListener.NONE));
            assertEquals("sync_stale", busy.runningSyncId());
            assertEquals(6, busy.code().exitCode());
        }
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", r.status(), r.errorMessage());
        Map<String, String> stale = historyRow(f.remote, "sync_stale");
        assertEquals("failed", stale.get("status"));
        assertTrue(stale.get("error_message").startsWith("recovered"), stale.get("error_message"));
    }

    @Test
    void nonSuperuserOwnersSyncBothWays() {
        String owner = "owner_" + System.nanoTime();
        for (Version v : Version.values()) {
            var admin = dev.archon.sync.testing.TestServers.freshDatabase(v, dev.archon.sync.config.DatabaseRole.LOCAL);
            sql(admin, "CREATE ROLE " + owner + " LOGIN PASSWORD 'pw' NOSUPERUSER");
            new dev.archon.sync.migrate.Migrator().migrate(admin);
        }
        var local = dev.archon.sync.testing.TestServers.freshDatabase(Version.PG15, dev.archon.sync.config.DatabaseRole.LOCAL,
                owner, owner, "pw");
        var remote = dev.archon.sync.testing.TestServers.freshDatabase(Version.PG17, dev.archon.sync.config.DatabaseRole.REMOTE,
                owner, owner, "pw");
        for (var db : List.of(local, remote)) {
            dev.archon.sync.testing.TestServers.superuser(db, "CREATE EXTENSION IF NOT EXISTS ltree; CREATE EXTENSION IF NOT EXISTS cube;"
                    + " CREATE EXTENSION IF NOT EXISTS hstore; CREATE EXTENSION IF NOT EXISTS citext");
            new dev.archon.sync.migrate.Migrator().migrate(db);
            sql(db, FIXTURE);
        }
        sql(local, "UPDATE archon_fixture_types SET money_exact = 42");
        SyncEngine engine = new SyncEngine(local, remote);
        SyncResult there = engine.sync(SyncRequest.of(Direction.LOCAL_TO_REMOTE).withBackup(true, EngineFixture.tempDir()),
                SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", there.status(), there.errorMessage());
        assertEquals(content(local), content(remote));
    }
}
