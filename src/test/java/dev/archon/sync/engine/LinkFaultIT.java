package dev.archon.sync.engine;

import static dev.archon.sync.engine.EngineFixture.content;
import static dev.archon.sync.engine.EngineFixture.historyRow;
import static dev.archon.sync.engine.EngineFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.db.Database;
import dev.archon.sync.db.LinkTimeout;
import dev.archon.sync.history.HistoryWriter;
import dev.archon.sync.net.FaultRelay;
import dev.archon.sync.net.FaultRelay.Fault;
import dev.archon.sync.testing.TestServers.Version;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Network faults injected for real by a {@link FaultRelay} between archon-sync and the target
 * server: connections reset in each phase, a stall while COPY data flows, and the COMMIT cut
 * before or after the server received it. The kernel-level stall (no packet at all) is in
 * {@link LinkDownIT}.
 */
class LinkFaultIT {
    static final LinkTimeout BOUND = new LinkTimeout(3);

    /** Source and target with a table big enough to fill the socket buffers, a secondary index and a marker row. */
    private static EngineFixture fixture(int rows) {
        EngineFixture f = new EngineFixture(Version.PG15, Version.PG15, EngineFixture.tempDir());
        String ddl = "CREATE TABLE archon_big (id bigserial PRIMARY KEY, payload text, n int); CREATE INDEX archon_big_n ON archon_big (n);";
        sql(f.local, ddl + " INSERT INTO archon_big (payload, n) SELECT CASE WHEN g = " + rows / 2 + " THEN 'STALL-HERE'"
                + " ELSE repeat(md5(g::text), 8) END, g FROM generate_series(1, " + rows + ") g");
        sql(f.remote, ddl + " INSERT INTO archon_big (payload, n) SELECT 'old', g FROM generate_series(1, 1000) g");
        return f;
    }

    private static SyncResult syncThrough(EngineFixture f, FaultRelay relay) {
        Database target = new Database(relay.route(f.remote.config()), BOUND);
        return new SyncEngine(f.local, target).sync(f.request(Direction.LOCAL_TO_REMOTE), SyncControl.create(), SyncListener.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"lock, LOCK TABLE", "backup, TO STDOUT", "import, FROM STDIN", "indexing, CREATE INDEX",
            "verification, 'substr(h, 1, 16)'", "commit, COMMIT"})
    void connectionResetInAnyPhaseLeavesTheTargetUnchanged(String phase, String marker) throws Exception {
        EngineFixture f = fixture(5_000);
        Map<String, String> before = content(f.remote);
        try (FaultRelay relay = new FaultRelay(f.remote.config().port())) {
            relay.arm(Fault.DROP, "archon-sync import", marker);
            SyncResult r = syncThrough(f, relay);
            assertEquals(1, relay.fired(), "the fault fired");
            assertEquals("failed", r.status(), r.errorMessage());
            assertEquals(3, r.exitCode());
            assertEquals(before, content(f.remote));
            Map<String, String> row = historyRow(f.remote, r.syncId());
            assertEquals("failed", row.get("status"));
            assertTrue(EngineFixture.noLocksLeft(f.remote), "no lock left on the target");
            if (phase.equals("commit")) {
                assertTrue(r.errorMessage().contains("did not commit"), r.errorMessage());
                assertEquals("aborted", r.metrics().get("commit_outcome_checked"));
            }
        }
    }

    @Test
    void stallWhileCopyDataFlowsEndsTheRunWithinTheBound() throws Exception {
        EngineFixture f = fixture(150_000);
        Map<String, String> before = content(f.remote);
        try (FaultRelay relay = new FaultRelay(f.remote.config().port())) {
            relay.arm(Fault.STALL, "archon-sync import", "STALL-HERE");
            SyncResult r = syncThrough(f, relay);
            double detection = (System.nanoTime() - relay.firedAtNanos()) / 1e9;
            assertEquals(1, relay.fired(), "the fault fired");
            assertEquals(3, r.exitCode(), r.errorMessage());
            assertTrue(r.errorMessage().contains("the link to the remote database went silent (no packets for 3 s)")
                    && r.errorMessage().contains("import phase"), r.errorMessage());
            assertTrue(detection < BOUND.seconds() + 8, "ended " + detection + " s after the stall");
            System.out.printf("relay stall during COPY: run ended %.1f s after the stall (bound %d s)%n", detection,
                    BOUND.seconds());
            Map<String, String> row = historyRow(f.remote, r.syncId());
            assertTrue(row.get("error_details").contains("link_silent"), row.get("error_details"));
        }
        // The relay held the server's side open while stalling; closed now, the server ends the backend.
        assertTrue(EngineFixture.noLocksLeft(f.remote), "no lock left on the target");
        assertEquals(before, content(f.remote));
    }

    @Test
    void stalledHistoryConnectionDoesNotHoldTheRunUp() throws Exception {
        EngineFixture f = fixture(5_000);
        try (FaultRelay relay = new FaultRelay(f.remote.config().port())) {
            relay.arm(Fault.STALL, "archon-sync history", "SET current_phase");
            long start = System.nanoTime();
            SyncResult r = syncThrough(f, relay);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(1, relay.fired(), "the fault fired");
            assertEquals(0, r.exitCode(), r.errorMessage());
            assertTrue(seconds < 30, "took " + seconds + " s");
            assertEquals(content(f.local), content(f.remote));
            // The outcome went through a new connection while the live one stayed stuck.
            Map<String, String> row = historyRow(f.remote, r.syncId());
            assertEquals("completed", row.get("status"));
            assertEquals("100", row.get("percent_complete"));
        }
    }

    @Test
    void commitThatReachedTheServerIsRecordedAsCompleted() throws Exception {
        EngineFixture f = fixture(5_000);
        try (FaultRelay relay = new FaultRelay(f.remote.config().port())) {
            relay.arm(Fault.CUT_AFTER_REPLY, "archon-sync import", "COMMIT");
            SyncResult r = syncThrough(f, relay);
            assertEquals(1, relay.fired(), "the fault fired");
            assertEquals(0, r.exitCode(), r.errorMessage());
            assertEquals("completed", r.status());
            assertEquals("committed", r.metrics().get("commit_outcome_checked"));
            assertEquals(content(f.local), content(f.remote));
            assertEquals("completed", historyRow(f.remote, r.syncId()).get("status"));
        }
    }

    @Test
    void commitOutcomeUnknownWhileTheLinkStaysDownIsSaidAndSettledLater() throws Exception {
        EngineFixture f = fixture(5_000);
        String syncId;
        try (FaultRelay relay = new FaultRelay(f.remote.config().port())) {
            relay.arm(Fault.CUT_AFTER_REPLY, "archon-sync import", "COMMIT");
            relay.onFire(() -> relay.refuseNew(true));
            long start = System.nanoTime();
            SyncResult r = syncThrough(f, relay);
            syncId = r.syncId();
            assertEquals(8, r.exitCode(), r.errorMessage());
            assertTrue(r.errorMessage().startsWith("outcome unknown") && r.errorMessage().contains("SELECT txid_status("
                    + r.metrics().get("target_xid") + ")"), r.errorMessage());
            assertTrue((System.nanoTime() - relay.firedAtNanos()) / 1e9 < BOUND.seconds() + 5, "gave up after the bound");
            assertTrue((System.nanoTime() - start) / 1e9 < 60);
            Map<String, String> row = historyRow(f.remote, syncId);
            assertEquals("failed", row.get("status"));
            assertTrue(row.get("error_details").contains("\"outcome\": \"unknown\""), row.get("error_details"));
        }
        // The server did commit: the next run's recovery (under the advisory lock) settles the row from txid_status.
        assertEquals(content(f.local), content(f.remote));
        try (HistoryWriter h = HistoryWriter.open(f.remote)) {
            assertEquals(1, h.recoverStale());
        }
        Map<String, String> row = historyRow(f.remote, syncId);
        assertEquals("completed", row.get("status"));
        assertEquals("100", row.get("percent_complete"));
        assertNotEquals(null, row.get("completed_at"));
    }
}
