package dev.archon.sync.engine;

import static dev.archon.sync.engine.EngineFixture.content;
import static dev.archon.sync.engine.EngineFixture.count;
import static dev.archon.sync.engine.EngineFixture.historyRow;
import static dev.archon.sync.engine.EngineFixture.sql;
import static dev.archon.sync.engine.EngineFixture.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.db.Database;
import dev.archon.sync.delta.ConflictPolicy;
import dev.archon.sync.testing.TestServers.Version;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A completed one-way sync (changes or full, either direction) establishes the base of the next bidirectional run. */
class OneWayBaseIT {
    private static final String FIXTURE = EngineFixture.resource("/fixtures/all_types.sql");

    @ParameterizedTest
    @CsvSource({"LOCAL_TO_REMOTE, CHANGES", "REMOTE_TO_LOCAL, FULL", "LOCAL_TO_REMOTE, AUTO"})
    void aOneWaySyncIsTheBaseSoEditsOnBothSidesMergeWithoutConflicts(Direction direction, SyncMode mode) {
        EngineFixture f = new EngineFixture(Version.PG15, Version.PG15, EngineFixture.tempDir());
        sql(f.local, FIXTURE);
        sql(f.remote, FIXTURE);
        Database source = direction == Direction.LOCAL_TO_REMOTE ? f.local : f.remote;
        sql(source, "UPDATE archon_fixture_tree SET name = 'before the one-way run' WHERE id = 2");

        SyncResult oneWay = f.engine.sync(f.request(direction).withMode(mode), SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", oneWay.status(), oneWay.errorMessage());
        assertEquals("written", oneWay.metrics().get("base_local"), oneWay.metrics().toString());
        assertEquals("written", oneWay.metrics().get("base_remote"), oneWay.metrics().toString());
        for (Database db : List.of(f.local, f.remote)) {
            assertEquals(1, count(db, "SELECT count(*) FROM archon_sync_base_tables"
                    + " WHERE table_name = 'public.archon_fixture_tree' AND sync_id = '" + oneWay.syncId() + "'"));
            assertTrue(historyRow(db, oneWay.syncId()).get("metadata").contains("\"base_local\": \"written\""),
                    historyRow(db, oneWay.syncId()).get("metadata"));
        }

        // edits on both sides to different rows of the same table, and a delete on one side only
        sql(f.local, "UPDATE archon_fixture_tree SET name = 'edited on local' WHERE id = 1");
        sql(f.remote, "UPDATE archon_fixture_tree SET name = 'edited on remote' WHERE id = 2;"
                + " UPDATE archon_fixture_cycle_a SET note = 'remote note' WHERE id = 1");
        sql(f.local, "DELETE FROM archon_fixture_tree WHERE id = 4");
        assertEquals(1, count(f.remote, "SELECT count(*) FROM archon_fixture_tree WHERE id = 4"));

        SyncResult merge = f.engine.merge(f.request(Direction.BIDIRECTIONAL), new MergeOptions(ConflictPolicy.FAIL, false),
                SyncControl.create(), SyncListener.NONE);
        assertEquals("completed", merge.status(), merge.errorMessage());
        assertEquals(content(f.local), content(f.remote));
        for (Database db : List.of(f.local, f.remote)) {
            assertEquals("edited on local", string(db, "SELECT name FROM archon_fixture_tree WHERE id = 1"));
            assertEquals("edited on remote", string(db, "SELECT name FROM archon_fixture_tree WHERE id = 2"));
            assertEquals("remote note", string(db, "SELECT note FROM archon_fixture_cycle_a WHERE id = 1"));
            assertEquals(0, count(db, "SELECT count(*) FROM archon_fixture_tree WHERE id = 4"), "the delete propagates");
        }
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> tables = (Map<String, Map<String, Object>>) merge.metrics().get("merge");
        Map<String, Object> tree = tables.get("public.archon_fixture_tree");
        assertEquals(oneWay.syncId(), tree.get("base"), "merged against the one-way run's base");
        assertEquals(0, ((Number) tree.get("conflicts_unresolved")).intValue());
        assertNotNull(oneWay.metrics().get("base_hash_seconds"));
    }
}
