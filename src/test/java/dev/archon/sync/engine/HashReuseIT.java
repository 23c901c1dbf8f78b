package dev.archon.sync.engine;

import static dev.archon.sync.engine.EngineFixture.content;
import static dev.archon.sync.engine.EngineFixture.count;
import static dev.archon.sync.engine.EngineFixture.sql;
import static dev.archon.sync.engine.EngineFixture.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.db.Database;
import dev.archon.sync.testing.TestServers.Version;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A one-way sync reuses, on each server, the hash its base recorded for a row version nothing has
 * written since (same xmin), and still finds every change: rows edited on either side, a row
 * rewritten with the same content, deletes and inserts. The guards (another hash form, a
 * transaction counter that went back) turn the reuse off.
 */
class HashReuseIT {
    private static final String FIXTURE = EngineFixture.resource("/fixtures/all_types.sql");

    private static EngineFixture fixture() {
        EngineFixture f = new EngineFixture(Version.PG15, Version.PG15, EngineFixture.tempDir());
        sql(f.local, FIXTURE);
        sql(f.remote, FIXTURE);
        return f;
    }

    private static SyncResult sync(EngineFixture f) {
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", r.status(), r.errorMessage());
        assertEquals(content(f.local), content(f.remote), "the target equals the source");
        return r;
    }

    /** {reused, scans} from the run's "N of M table scans". */
    private static int[] reuse(SyncResult r) {
        String[] words = String.valueOf(r.metrics().get("base_hashes_reused")).split(" ");
        return new int[] {Integer.parseInt(words[0]), Integer.parseInt(words[2])};
    }

    private static long written(SyncResult r) {
        return r.tables().stream().mapToLong(t -> t.inserted() + t.updated() + t.deleted()).sum();
    }

    @Test
    void unchangedRowsAreNotHashedAgainAndEveryChangeIsStillFound() {
        EngineFixture f = fixture();
        SyncResult first = sync(f);
        assertEquals(0, reuse(first)[0], "no base yet: every row hashed");
        SyncResult second = sync(f);
        int[] all = reuse(second);
        assertTrue(all[1] > 0);
        assertEquals(all[1], all[0], "both servers reuse every table's base");
        assertEquals(0, written(second));

        sql(f.local, "UPDATE archon_fixture_tree SET name = 'renamed on local' WHERE id = 3;"
                + " UPDATE archon_fixture_tree SET name = name WHERE id = 5;" // a new row version, the same content
                + " DELETE FROM archon_fixture_events WHERE name = 'no payload';"
                + " INSERT INTO archon_fixture_tree (id, parent_id, name) VALUES (6, 1, 'new on local');"
                + " UPDATE archon_fixture_wide SET big_text = big_text || '!' WHERE id = 2");
        sql(f.remote, "UPDATE archon_fixture_tree SET name = 'edited on the target' WHERE id = 1;"
                + " UPDATE archon_fixture_events SET payload = '{\"by\": \"target\"}' WHERE name = 'created'");
        SyncResult third = sync(f);
        assertEquals(all[1], reuse(third)[0], "unchanged rows still reused on both servers");
        Map<String, TableResult> byName = new java.util.HashMap<>();
        third.tables().forEach(t -> byName.put(t.tableName(), t));
        TableResult tree = byName.get("public.archon_fixture_tree");
        assertEquals(List.of(1L, 2L, 0L), List.of(tree.inserted(), tree.updated(), tree.deleted()),
                "id 6 inserted; ids 3 and 1 updated; id 5 (same content) left alone");
        assertEquals("full", byName.get("public.archon_fixture_events").mode(), "both of its rows differ: copied in full");
        assertEquals(1, byName.get("public.archon_fixture_wide").updated());
        for (Database db : List.of(f.local, f.remote)) {
            assertEquals("root", string(db, "SELECT name FROM archon_fixture_tree WHERE id = 1"));
            assertEquals("renamed on local", string(db, "SELECT name FROM archon_fixture_tree WHERE id = 3"));
        }
        assertEquals(0, written(sync(f)), "nothing left to carry");
    }

    @Test
    void anotherHashFormClusterOrATransactionCounterThatWentBackTurnsReuseOff() {
        EngineFixture f = fixture();
        sync(f);
        int scans = reuse(sync(f))[1];

        // a restored target: its counter is now behind the base's (simulated by moving the base ahead)
        sql(f.remote, "UPDATE archon_sync_base_tables SET base_txid = base_txid + 1000000");
        sql(f.remote, "UPDATE archon_fixture_tree SET name = 'edited on the target' WHERE id = 2");
        SyncResult restored = sync(f);
        assertEquals(scans / 2, reuse(restored)[0], "only the source reuses its base");
        assertEquals("child", string(f.remote, "SELECT name FROM archon_fixture_tree WHERE id = 2"));

        // a source restored into another cluster (or recovered to a point in time): its transaction ids repeat
        sql(f.local, "UPDATE archon_sync_base_tables SET base_cluster = '7000000000000000000/1'");
        sql(f.local, "UPDATE archon_fixture_tree SET name = 'edited on the source' WHERE id = 5");
        SyncResult otherCluster = sync(f);
        assertEquals(scans / 2, reuse(otherCluster)[0], "only the target reuses its base");
        assertEquals("edited on the source", string(f.remote, "SELECT name FROM archon_fixture_tree WHERE id = 5"));

        // a column added on both sides changes the table's hash form: its base is not reused
        for (Database db : List.of(f.local, f.remote)) {
            sql(db, "ALTER TABLE archon_fixture_tree ADD COLUMN extra int NOT NULL DEFAULT 0");
        }
        sql(f.local, "UPDATE archon_fixture_tree SET extra = 7 WHERE id = 4");
        SyncResult altered = sync(f);
        assertEquals(scans - 2, reuse(altered)[0], "the altered table is hashed in full on both servers");
        assertEquals(7, count(f.remote, "SELECT extra FROM archon_fixture_tree WHERE id = 4"));
        assertEquals(scans, reuse(sync(f))[0], "the new base is reused again");
        assertNotEquals(0, count(f.remote, "SELECT count(*) FROM archon_sync_base WHERE row_xmin IS NOT NULL"));
    }

    @Test
    void bidirectionalRunsReuseTheBaseTheyWriteAndStillCarryEveryChange() {
        EngineFixture f = fixture();
        sync(f);
        MergeOptions options = new MergeOptions(dev.archon.sync.delta.ConflictPolicy.FAIL, false);
        SyncResult first = f.engine.merge(f.request(Direction.BIDIRECTIONAL), options, SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", first.status(), first.errorMessage());
        int[] all = reuse(first);
        assertEquals(all[1], all[0], "the one-way run's base stands in on both sides");

        sql(f.local, "UPDATE archon_fixture_tree SET name = 'local edit' WHERE id = 3");
        sql(f.remote, "UPDATE archon_fixture_tree SET name = 'remote edit' WHERE id = 4; DELETE FROM archon_fixture_events"
                + " WHERE name = 'no payload'");
        SyncResult second = f.engine.merge(f.request(Direction.BIDIRECTIONAL), options, SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", second.status(), second.errorMessage());
        assertEquals(all[1], reuse(second)[0], "the merge's own base (with each side's row versions) stands in too");
        assertEquals(content(f.local), content(f.remote));
        for (Database db : List.of(f.local, f.remote)) {
            assertEquals("local edit", string(db, "SELECT name FROM archon_fixture_tree WHERE id = 3"));
            assertEquals("remote edit", string(db, "SELECT name FROM archon_fixture_tree WHERE id = 4"));
        }
        assertEquals(0, count(f.local, "SELECT count(*) FROM archon_fixture_events WHERE name = 'no payload'"));
        assertNotEquals(0, count(f.local, "SELECT count(*) FROM archon_sync_base WHERE row_xmin IS NOT NULL"));
    }
}
