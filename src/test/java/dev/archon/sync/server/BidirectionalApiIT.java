package dev.archon.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import dev.archon.sync.demo.Scale;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API's bidirectional face: a merge, 409 with the conflict list, a dry run, a resolution. */
class BidirectionalApiIT {
    private static final String SYNC = "/api/database/sync";
    private static final String TASK = "(SELECT id FROM archon_tasks ORDER BY id LIMIT 1)";

    private static void sql(Database db, String statement) throws Exception {
        try (Connection c = db.open("test")) {
            Sql.execute(c, statement);
        }
    }

    private static String title(Database db) throws Exception {
        try (Connection c = db.open("test")) {
            return Sql.queryString(c, "SELECT title FROM archon_tasks WHERE id = " + TASK);
        }
    }

    /** Posts until the previous run has released this process's slot (a 409 without a conflict list). */
    private static ServerFixture.Reply post(ServerFixture f, String body) throws InterruptedException {
        ServerFixture.Reply r = f.post(SYNC, body);
        for (int i = 0; i < 50 && r.status() == 409 && !r.body().has("conflicts"); i++) {
            Thread.sleep(200);
            r = f.post(SYNC, body);
        }
        return r;
    }

    @Test
    void conflictsAnswer409WithTheListAndAPolicyResolvesThem() throws Exception {
        try (ServerFixture f = new ServerFixture(Scale.ofRows(50))) {
            ServerFixture.Reply first = post(f, "{\"direction\": \"bidirectional\"}");
            assertEquals(202, first.status(), first.text());
            JsonNode row = f.awaitEnd(first.body().path("sync_id").asText(), Duration.ofSeconds(120));
            assertEquals("completed", row.path("status").asText(), row.toString());
            for (String t : List.of("archon_crawled_pages", "archon_tasks", "archon_settings", "archon_code_examples")) {
                assertEquals(ServerFixture.counts(f.local).get(t), ServerFixture.counts(f.remote).get(t), t + " copied to the empty remote");
            }

            sql(f.local, "UPDATE archon_tasks SET title = 'local title' WHERE id = " + TASK);
            sql(f.remote, "UPDATE archon_tasks SET title = 'remote title' WHERE id = " + TASK);
            ServerFixture.Reply conflict = post(f, "{\"direction\": \"bidirectional\"}");
            assertEquals(409, conflict.status(), conflict.text());
            assertEquals(7, conflict.body().path("exit_code").asInt());
            JsonNode list = conflict.body().path("conflicts");
            assertEquals(1, list.size(), list.toString());
            assertEquals("public.archon_tasks", list.get(0).path("table").asText());
            assertEquals("update/update", list.get(0).path("kind").asText());
            assertTrue(list.get(0).path("columns").toString().contains("remote title"), list.toString());
            assertEquals(List.of("local title", "remote title"), List.of(title(f.local), title(f.remote)), "nothing written");

            ServerFixture.Reply dry = post(f, "{\"direction\": \"bidirectional\", \"dry_run\": true, \"on_conflict\": \"remote\"}");
            assertEquals(200, dry.status(), dry.text());
            assertEquals(1, dry.body().path("merge").path("public.archon_tasks").path("conflicts_resolved").asInt(), dry.text());

            ServerFixture.Reply bad = post(f, "{\"direction\": \"bidirectional\", \"on_conflict\": \"coin\"}");
            assertEquals(400, bad.status(), bad.text());

            ServerFixture.Reply resolved = post(f, "{\"direction\": \"bidirectional\", \"on_conflict\": \"remote\"}");
            assertEquals(202, resolved.status(), resolved.text());
            JsonNode end = f.awaitEnd(resolved.body().path("sync_id").asText(), Duration.ofSeconds(120));
            assertEquals("completed", end.path("status").asText(), end.toString());
            assertEquals(List.of("remote title", "remote title"), List.of(title(f.local), title(f.remote)));
        }
    }
}
