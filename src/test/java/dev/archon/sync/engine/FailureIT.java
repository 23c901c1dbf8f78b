package dev.archon.sync.engine;

import static dev.archon.sync.engine.EngineFixture.content;
import static dev.archon.sync.engine.EngineFixture.count;
import static dev.archon.sync.engine.EngineFixture.historyRow;
import static dev.archon.sync.engine.EngineFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.db.Database;
import dev.archon.sync.testing.TestServers.Version;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Failures injected for real: a killed backend, a cancel, an unreachable target. The target never changes. */
class FailureIT {
    /** Two databases with a table big enough that its COPY takes a while; the target holds other rows. */
    private static EngineFixture bigTable() {
        EngineFixture f = new EngineFixture(Version.PG15, Version.PG15, EngineFixture.tempDir());
        String ddl = "CREATE TABLE archon_big (id bigserial PRIMARY KEY, payload text, n int);";
        sql(f.local, ddl + " INSERT INTO archon_big (payload, n) SELECT repeat(md5(g::text), 8), g FROM generate_series(1, 400000) g");
        sql(f.remote, ddl + " INSERT INTO archon_big (payload, n) SELECT 'old', g FROM generate_series(1, 1000) g");
        return f;
    }

    /** Waits until the target's import backend is copying, then runs the action. */
    private static void whenCopying(Database target, Runnable action) {
        CompletableFuture.runAsync(() -> {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                if (count(target, "SELECT count(*) FROM pg_stat_progress_copy p JOIN pg_stat_activity a ON a.pid = p.pid"
                        + " WHERE a.application_name = 'archon-sync import' AND p.tuples_processed > 1000") > 0) {
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

    @Test
    void backendKilledMidCopyLeavesTheTargetUnchanged() {
        EngineFixture f = bigTable();
        Map<String, String> before = content(f.remote);
        whenCopying(f.remote, () -> count(f.remote, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name = 'archon-sync import'"));
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE);
        assertEquals("failed", r.status());
        assertEquals(3, r.exitCode());
        assertTrue(r.errorMessage().contains("import phase"), r.errorMessage());
        assertEquals(before, content(f.remote));
        Map<String, String> row = historyRow(f.remote, r.syncId());
        assertEquals("failed", row.get("status"));
        assertTrue(row.get("error_details").contains("\"phase\": \"import\""), row.get("error_details"));
        assertTrue(EngineFixture.noLocksLeft(f.remote) && EngineFixture.noLocksLeft(f.local));
    }

    @Test
    void cancelMidRunRollsBack() {
        EngineFixture f = bigTable();
        Map<String, String> before = content(f.remote);
        SyncControl control = SyncControl.create();
        whenCopying(f.remote, control::cancel);
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), control, SyncListener.NONE);
        assertEquals("cancelled", r.status());
        assertEquals(5, r.exitCode());
        assertEquals(before, content(f.remote));
        assertEquals("cancelled", historyRow(f.remote, r.syncId()).get("status"));
        assertTrue(EngineFixture.noLocksLeft(f.remote) && EngineFixture.noLocksLeft(f.local));
    }

    @Test
    void progressIsRecordedLiveAndOnlyGrows() throws Exception {
        EngineFixture f = bigTable();
        SyncControl control = SyncControl.create();
        java.util.List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE), control, p -> seen.add(p.percent()));
        assertEquals("completed", r.status(), r.errorMessage());
        assertTrue(seen.size() >= 2, "progress published: " + seen);
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1), "percent never decreases: " + seen);
        }
        assertEquals(content(f.local), content(f.remote));
        assertEquals("400000", historyRow(f.remote, r.syncId()).get("synced_rows"));
    }

    @Test
    void unreachableTargetIsExitTwoAndRecordedOnTheSource() {
        EngineFixture f = bigTable();
        DatabaseConfig c = f.remote.config();
        Database gone = new Database(new DatabaseConfig(c.role(), "127.0.0.1", 1, c.database(), c.user(), "secret-pw", c.params(),
                "--remote"));
        SyncControl control = SyncControl.create();
        ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> new SyncEngine(f.local, gone)
                .sync(SyncRequest.of(Direction.LOCAL_TO_REMOTE), control, SyncListener.NONE));
        assertEquals(ErrorCode.CONNECTION_FAILED, e.code());
        assertTrue(e.getMessage().contains("remote database") && !e.getMessage().contains("secret-pw"), e.getMessage());
        Map<String, String> row = historyRow(f.local, control.syncId());
        assertEquals("failed", row.get("status"));
        assertTrue(row.get("error_message").contains("remote database"), row.get("error_message"));
    }
}
