package dev.archon.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.sync.demo.ArchonDataset;
import dev.archon.sync.demo.Scale;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cancel through the API mid-run: the run ends cancelled and the target keeps its data. */
class CancelIT {
    private static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new ServerFixture(Scale.ofRows(12_000));
        try (Connection c = f.remote.open("test")) {
            ArchonDataset.generate(c, Scale.ofRows(300), 7L); // the target holds other data the cancel must keep
        }
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void cancelMidRunRollsBackAndLeavesTheTargetUnchanged() throws Exception {
        Map<String, Long> before = ServerFixture.counts(f.remote);
        ServerFixture.Reply started = f.post("/api/database/sync", "{\"direction\":\"local-to-remote\"}");
        assertEquals(202, started.status(), started.text());
        String id = started.body().path("sync_id").asText();
        // Wait until it is copying, then cancel.
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            JsonNode row = f.get("/api/database/sync/" + id + "/status").body().path("record");
            if ("import".equals(row.path("current_phase").asText()) || row.path("synced_rows").asLong() > 0
                    || !"running".equals(row.path("status").asText())) {
                break;
            }
            Thread.sleep(50);
        }
        ServerFixture.Reply cancel = f.post("/api/database/sync/" + id + "/cancel", "");
        assertEquals(202, cancel.status(), "the run ended before it could be cancelled: " + cancel.text());
        JsonNode row = f.awaitEnd(id, Duration.ofMinutes(3));
        assertEquals("cancelled", row.path("status").asText(), row.toString());
        assertEquals(before, ServerFixture.counts(f.remote), "the target is unchanged");
        assertTrue(f.post("/api/database/sync/" + id + "/cancel", "").status() == 409, "a cancelled run cannot be cancelled again");
    }
}
