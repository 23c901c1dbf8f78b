package dev.archon.sync.engine;

import static dev.archon.sync.engine.EngineFixture.content;
import static dev.archon.sync.engine.EngineFixture.count;
import static dev.archon.sync.engine.EngineFixture.sql;
import static dev.archon.sync.engine.EngineFixture.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ErrorCode;
import dev.archon.sync.db.Database;
import dev.archon.sync.delta.ConflictPolicy;
import dev.archon.sync.testing.TestServers.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bidirectional sync on Archon's schema against its UNIQUE keys and foreign keys: natural-key
 * collisions (one logical row under two primary keys) refused, then resolved as one row; the
 * check of the planned result before anything is written.
 */
class MergeConstraintsIT {
    private static final String SCHEMA = EngineFixture.resource("/archon/schema.sql");
    private static final String A = "00000000-0000-0000-0000-00000000000a";
    private static final String B = "00000000-0000-0000-0000-00000000000b";

    /** Archon's schema on both sides, a source and three projects, merged once: the base exists. */
    private static EngineFixture archon() {
        EngineFixture f = new EngineFixture(Version.PG15, Version.PG15, EngineFixture.tempDir());
        for (Database db : List.of(f.local, f.remote)) {
            sql(db, SCHEMA);
            sql(db, "INSERT INTO archon_sources (source_id, created_at, updated_at) VALUES ('s1', '2025-01-01', '2025-01-01');"
                    + " INSERT INTO archon_projects (id, title, created_at, updated_at) SELECT ('00000000-0000-0000-0000-00000000010'"
                    + " || g)::uuid, 'project ' || g, '2025-01-01', '2025-01-01' FROM generate_series(1, 3) g");
        }
        SyncResult first = merge(f, ConflictPolicy.FAIL);
        assertEquals("completed", first.status(), first.errorMessage());
        return f;
    }

    private static SyncResult merge(EngineFixture f, ConflictPolicy policy) {
        return f.engine.merge(f.request(Direction.BIDIRECTIONAL), new MergeOptions(policy, false), SyncControl.create(),
                SyncListener.NONE);
    }

    private static void setting(Database db, String id, String key, String value) {
        sql(db, "INSERT INTO archon_settings (id, key, value, created_at, updated_at) VALUES ('" + id + "', '" + key + "', '"
                + value + "', '2025-02-01', '2025-02-01')");
    }

    private static void chunk(Database db, long id, String url, String text) {
        sql(db, "INSERT INTO archon_crawled_pages (id, url, chunk_number, content, source_id, created_at) VALUES (" + id + ", '"
                + url + "', 0, '" + text + "', 's1', '2025-02-01')");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> conflicts(SyncResult r) {
        return (List<Map<String, Object>>) r.metrics().get("conflicts");
    }

    @Test
    void aSettingAddedOnBothSidesIsOneConflictRefusedThenResolvedEitherWay() throws Exception {
        EngineFixture f = archon();
        setting(f.local, A, "X", "local value");
        setting(f.remote, B, "X", "remote value");
        Map<String, String> localBefore = content(f.local);
        Map<String, String> remoteBefore = content(f.remote);
        SyncResult refused = merge(f, ConflictPolicy.FAIL);
        assertEquals(ErrorCode.CONFLICTS.exitCode(), refused.exitCode(), refused.errorMessage());
        assertEquals(localBefore, content(f.local), "nothing written on local");
        assertEquals(remoteBefore, content(f.remote), "nothing written on remote");
        List<Map<String, Object>> listed = conflicts(refused);
        assertEquals(1, listed.size(), listed.toString());
        Map<String, Object> c = listed.get(0);
        assertEquals("public.archon_settings", c.get("table"));
        assertEquals("key=X", c.get("key"));
        assertEquals("natural key", c.get("kind"));
        assertEquals("id=" + A, c.get("local_key"));
        assertEquals("id=" + B, c.get("remote_key"));
        assertTrue(c.get("columns").toString().contains("column=value"), c.toString());
        assertTrue(!c.toString().contains("local value") && c.toString().contains("hidden"), "a secret table's values are hidden");

        SyncResult local = merge(f, ConflictPolicy.LOCAL);
        assertEquals("completed", local.status(), local.errorMessage());
        for (Database db : List.of(f.local, f.remote)) {
            assertEquals(1, count(db, "SELECT count(*) FROM archon_settings WHERE key = 'X'"));
            assertEquals(A, string(db, "SELECT id::text FROM archon_settings WHERE key = 'X'"));
            assertEquals("local value", string(db, "SELECT value FROM archon_settings WHERE key = 'X'"));
        }
        assertEquals(content(f.local), content(f.remote));
        assertBackupHolds(local, "backup_remote");

        setting(f.local, A.replace('a', 'c'), "Y", "local y");
        setting(f.remote, B.replace('b', 'd'), "Y", "remote y");
        SyncResult remote = merge(f, ConflictPolicy.REMOTE);
        assertEquals("completed", remote.status(), remote.errorMessage());
        for (Database db : List.of(f.local, f.remote)) {
            assertEquals(B.replace('b', 'd'), string(db, "SELECT id::text FROM archon_settings WHERE key = 'Y'"));
            assertEquals("remote y", string(db, "SELECT value FROM archon_settings WHERE key = 'Y'"));
        }
        assertEquals(content(f.local), content(f.remote));
        assertBackupHolds(remote, "backup_local");
        assertTrue(remote.metrics().get("natural_key_conflicts_resolved").toString().contains("key=Y"), remote.metrics().toString());
    }

    private static void assertBackupHolds(SyncResult r, String metric) throws Exception {
        Object file = r.metrics().get(metric);
        assertNotNull(file, "the losing version is in the run's backup: " + r.metrics());
        assertTrue(Files.size(Path.of(file.toString())) > 0);
    }

    @Test
    void aChunkCrawledOnBothSidesUnderTwoBigserialIdsIsOneRow() {
        EngineFixture f = archon();
        chunk(f.local, 1, "https://docs/a", "local text");
        chunk(f.remote, 11, "https://docs/a", "remote text");
        chunk(f.remote, 12, "https://docs/b", "only remote");
        SyncResult refused = merge(f, ConflictPolicy.FAIL);
        assertEquals(ErrorCode.CONFLICTS.exitCode(), refused.exitCode(), refused.errorMessage());
        assertEquals(0, count(f.local, "SELECT count(*) FROM archon_crawled_pages WHERE id = 12"), "nothing written");
        assertEquals("url=https://docs/a, chunk_number=0", conflicts(refused).get(0).get("key"));
        assertTrue(conflicts(refused).get(0).get("columns").toString().contains("local text"), "not a secret table: values shown");

        SyncResult local = merge(f, ConflictPolicy.LOCAL);
        assertEquals("completed", local.status(), local.errorMessage());
        for (Database db : List.of(f.local, f.remote)) {
            assertEquals("1:local text", string(db, "SELECT string_agg(id || ':' || content, ',') FROM archon_crawled_pages"
                    + " WHERE url = 'https://docs/a'"));
            assertEquals("only remote", string(db, "SELECT content FROM archon_crawled_pages WHERE id = 12"));
        }
        assertEquals(content(f.local), content(f.remote));
    }

    @Test
    void aRenameOntoAValueTheOtherSideInsertedIsCaughtBeforeWritingAndResolved() {
        EngineFixture f = archon();
        for (Database db : List.of(f.local, f.remote)) {
            setting(db, A, "OLD", "kept");
        }
        SyncResult base = merge(f, ConflictPolicy.FAIL);
        assertEquals("completed", base.status(), base.errorMessage());
        sql(f.local, "UPDATE archon_settings SET key = 'NEW' WHERE id = '" + A + "'");
        setting(f.remote, B, "NEW", "inserted");
        Map<String, String> localBefore = content(f.local);
        Map<String, String> remoteBefore = content(f.remote);
        SyncResult refused = merge(f, ConflictPolicy.FAIL);
        assertEquals(ErrorCode.CONFLICTS.exitCode(), refused.exitCode(), refused.errorMessage());
        assertEquals(localBefore, content(f.local));
        assertEquals(remoteBefore, content(f.remote));
        assertEquals("key=NEW", conflicts(refused).get(0).get("key"));

        SyncResult remote = merge(f, ConflictPolicy.REMOTE);
        assertEquals("completed", remote.status(), remote.errorMessage());
        for (Database db : List.of(f.local, f.remote)) {
            assertEquals("OLD", string(db, "SELECT key FROM archon_settings WHERE id = '" + A + "'"), "the losing rename is undone");
            assertEquals("NEW", string(db, "SELECT key FROM archon_settings WHERE id = '" + B + "'"));
        }
        assertEquals(content(f.local), content(f.remote));
    }

    @Test
    void aChildWhoseParentTheOtherSideDeletedIsRefusedBeforeAnythingIsWritten() {
        EngineFixture f = archon();
        String project = "00000000-0000-0000-0000-000000000101";
        sql(f.local, "DELETE FROM archon_projects WHERE id = '" + project + "'");
        sql(f.remote, "INSERT INTO archon_tasks (id, project_id, title) VALUES ('" + B + "', '" + project + "', 'new task')");
        sql(f.remote, "INSERT INTO archon_sources (source_id) VALUES ('carried')");
        Map<String, String> localBefore = content(f.local);
        Map<String, String> remoteBefore = content(f.remote);
        SyncResult r = merge(f, ConflictPolicy.LOCAL);
        assertEquals(ErrorCode.REFUSED.exitCode(), r.exitCode(), r.errorMessage());
        assertTrue(r.errorMessage().contains("public.archon_tasks id=" + B) && r.errorMessage().contains("archon_tasks_project_id_fkey"),
                r.errorMessage());
        assertEquals(localBefore, content(f.local), "nothing written on local (the source was not carried)");
        assertEquals(remoteBefore, content(f.remote), "nothing written on remote (the project was not deleted)");
        @SuppressWarnings("unchecked")
        List<String> violations = (List<String>) r.metrics().get("constraint_violations");
        assertEquals(2, violations.size(), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("carried to the local database")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("on the remote database") && v.contains("which the merge removes there")),
                violations.toString());
    }

    /** Tag tables on both sides; tag 'red' added on each under its own id with a row referencing it. */
    private static EngineFixture tags(String onUpdate) {
        EngineFixture f = archon();
        for (Database db : List.of(f.local, f.remote)) {
            sql(db, "CREATE TABLE archon_tag (id integer PRIMARY KEY, name text NOT NULL UNIQUE);"
                    + " CREATE TABLE archon_tagged (id integer PRIMARY KEY, tag_id integer REFERENCES archon_tag (id) " + onUpdate + ")");
        }
        sql(f.local, "INSERT INTO archon_tag VALUES (1, 'red'); INSERT INTO archon_tagged VALUES (10, 1)");
        sql(f.remote, "INSERT INTO archon_tag VALUES (2, 'red'); INSERT INTO archon_tagged VALUES (20, 2)");
        return f;
    }

    @Test
    void rowsReferencingTheLosingRowFollowTheWinnersKeyWhenTheForeignKeyCascadesUpdates() {
        EngineFixture f = tags("ON UPDATE CASCADE");
        SyncResult r = merge(f, ConflictPolicy.FAIL);
        assertEquals("completed", r.status(), r.errorMessage());
        for (Database db : List.of(f.local, f.remote)) {
            assertEquals("1:red", string(db, "SELECT string_agg(id || ':' || name, ',') FROM archon_tag"));
            assertEquals("10:1,20:1", string(db, "SELECT string_agg(id || ':' || tag_id, ',' ORDER BY id) FROM archon_tagged"));
        }
        assertEquals(content(f.local), content(f.remote));
        assertTrue(r.metrics().get("natural_key_references_followed").toString().contains("2 -> 1 on the remote database"),
                r.metrics().toString());
    }

    @Test
    void rowsReferencingTheLosingRowAreReportedWhenTheyCannotFollow() {
        EngineFixture f = tags("");
        Map<String, String> remoteBefore = content(f.remote);
        SyncResult r = merge(f, ConflictPolicy.FAIL);
        assertEquals(ErrorCode.REFUSED.exitCode(), r.exitCode(), r.errorMessage());
        assertTrue(r.errorMessage().contains("public.archon_tagged id=20"), r.errorMessage());
        assertEquals(remoteBefore, content(f.remote));
        assertEquals(0, count(f.local, "SELECT count(*) FROM archon_tagged WHERE id = 20"), "nothing written on local");
    }
}
