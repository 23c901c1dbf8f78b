package dev.archon.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.sync.demo.Scale;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The HTTP API over real HTTP, against two embedded databases and the real engine. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiIT {
    private static final String SYNC = "/api/database/sync";
    private static ServerFixture f;

    @BeforeAll
    static void start() {
        f = new ServerFixture(Scale.small());
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    @Order(1)
    void healthIsOpenAndReportsBothDatabases() {
        ServerFixture.Reply r = f.send(HttpRequest.newBuilder(URI.create(f.base() + "/health")).GET());
        assertEquals(200, r.status());
        assertEquals("ok", r.body().path("status").asText());
        for (String db : List.of("local", "remote")) {
            assertTrue(r.body().path("databases").path(db).path("reachable").asBoolean(), r.text());
            assertTrue(r.body().path("databases").path(db).path("latency_ms").isNumber(), r.text());
        }
    }

    @Test
    @Order(1)
    void apiRefusesAMissingOrWrongToken() {
        for (String path : List.of(SYNC + "/history", SYNC + "/stats", SYNC + "/backups")) {
            ServerFixture.Reply none = f.send(HttpRequest.newBuilder(URI.create(f.base() + path)).GET());
            assertEquals(401, none.status(), path);
            assertFalse(none.body().path("success").asBoolean());
            assertTrue(none.body().path("error").asText().contains("token"));
            ServerFixture.Reply wrong = f.send(HttpRequest.newBuilder(URI.create(f.base() + path))
                    .header("Authorization", "Bearer " + ServerFixture.TOKEN + "x").GET());
            assertEquals(401, wrong.status(), path);
        }
        // The query parameter is for EventSource only.
        assertEquals(401, f.send(HttpRequest.newBuilder(URI.create(f.base() + SYNC + "/history?token=" + ServerFixture.TOKEN)).GET()).status());
        ServerFixture.Reply post = f.send(HttpRequest.newBuilder(URI.create(f.base() + SYNC))
                .POST(HttpRequest.BodyPublishers.ofString("{\"direction\":\"local-to-remote\"}")));
        assertEquals(401, post.status());
        assertEquals(0, f.get(SYNC + "/history").body().path("total").asLong(), "nothing started without a token");
    }

    @Test
    @Order(1)
    void malformedRequestsAre400WithAMessage() {
        Map<String, String> bodies = Map.of(
                "{not json", "invalid JSON",
                "{\"direction\":\"sideways\"}", "unknown direction",
                "{\"direction\":\"local-to-remote\",\"dryrun\":true}", "unknown field 'dryrun'",
                "{\"direction\":\"local-to-remote\",\"dry_run\":\"yes\"}", "invalid JSON",
                "", "body is required",
                "[]", "invalid JSON",
                "{\"direction\":\"bidirectional\"}", "bidirectional",
                "{\"direction\":\"local-to-remote\",\"tables\":[\"\"]}", "tables");
        bodies.forEach((body, message) -> {
            for (String path : List.of(SYNC, SYNC + "/preflight")) {
                ServerFixture.Reply r = f.post(path, body);
                assertEquals(400, r.status(), path + " " + body + " -> " + r.text());
                assertFalse(r.body().path("success").asBoolean());
                if (path.equals(SYNC)) {
                    assertTrue(r.body().path("error").asText().contains(message), r.text());
                }
            }
        });
        ServerFixture.Reply big = f.post(SYNC, "{\"direction\":\"local-to-remote\",\"triggered_by\":\"" + "x".repeat(40_000) + "\"}");
        assertEquals(400, big.status(), big.text());
        assertTrue(big.body().path("error").asText().contains("larger than"), big.text());
        assertEquals(400, f.get(SYNC + "/history?limit=0").status());
        assertEquals(400, f.get(SYNC + "/history?limit=abc").status());
        assertEquals(400, f.get(SYNC + "/history?status=weird").status());
        assertEquals(400, f.get(SYNC + "/history?sort=password").status());
        assertEquals(400, f.get(SYNC + "/stats?days=0").status());
        assertEquals(0, f.get(SYNC + "/history").body().path("total").asLong(), "nothing half-started");
    }

    @Test
    @Order(1)
    void unknownSyncIdsAre404() {
        for (String id : List.of("sync_20200101_000000_abcd", "not-an-id")) {
            assertEquals(404, f.get(SYNC + "/" + id + "/status").status());
            assertEquals(404, f.send(HttpRequest.newBuilder(URI.create(f.base() + SYNC + "/" + id + "/events?token=" + ServerFixture.TOKEN))
                    .header("Accept", "text/event-stream").GET()).status());
            assertEquals(404, f.post(SYNC + "/" + id + "/cancel", "").status());
            assertEquals(404, f.post(SYNC + "/" + id + "/undo", "{}").status());
        }
        assertEquals(404, f.get("/api/nothing/here").status());
    }

    @Test
    @Order(2)
    void preflightReportsThePlanPerTable() {
        ServerFixture.Reply r = f.post(SYNC + "/preflight", "{\"direction\":\"local-to-remote\"}");
        assertEquals(200, r.status(), r.text());
        assertTrue(r.body().path("ok").asBoolean(), r.text());
        assertEquals("remote", r.body().path("target_db").asText());
        assertTrue(r.body().path("checks").size() > 0);
        assertTrue(r.body().path("rows_to_import").asLong() > 0, r.text());
        JsonNode pages = find(r.body().path("tables"), "table_name", "public.archon_crawled_pages");
        assertEquals(Scale.small().crawledPages(), pages.path("rows_to_import").asLong(), r.text());
        assertEquals(0, pages.path("rows_to_delete").asLong());
        assertEquals(Scale.small().crawledPages(), pages.path("inserts").asLong(), "what a changes-only sync would write");
        assertEquals(0, pages.path("updates").asLong() + pages.path("deletes").asLong(), r.text());
        assertTrue(r.body().path("inserts").asLong() >= Scale.small().crawledPages(), r.text());
    }

    @Test
    @Order(2)
    void dryRunAnswersThePlanAndRecordsNothing() {
        Map<String, Long> before = ServerFixture.counts(f.remote);
        ServerFixture.Reply r = f.post(SYNC, "{\"direction\":\"local-to-remote\",\"dry_run\":true}");
        assertEquals(200, r.status(), r.text());
        assertTrue(r.body().path("dry_run").asBoolean());
        assertTrue(r.body().path("tables").size() > 0);
        assertEquals(0, f.get(SYNC + "/history").body().path("total").asLong());
        assertEquals(before, ServerFixture.counts(f.remote));
    }

    @Test
    @Order(3)
    void twentyConcurrentStartsGiveExactlyOneRunThenItIsWatchedAndRecorded() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<ServerFixture.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Callable<ServerFixture.Reply> call = () -> f.post(SYNC, "{\"direction\":\"local-to-remote\",\"triggered_by\":\"ApiIT\"}");
            replies.add(pool.submit(call));
        }
        List<ServerFixture.Reply> accepted = new ArrayList<>();
        for (Future<ServerFixture.Reply> r : replies) {
            ServerFixture.Reply reply = r.get();
            if (reply.status() == 202) {
                accepted.add(reply);
            } else {
                assertEquals(409, reply.status(), reply.text());
                assertTrue(reply.body().path("running_sync_id").isTextual(), reply.text());
            }
        }
        pool.shutdown();
        assertEquals(1, accepted.size());
        String id = accepted.get(0).body().path("sync_id").asText();

        List<Map.Entry<String, JsonNode>> events = f.events(id, ServerFixture.TOKEN);
        Map.Entry<String, JsonNode> last = events.get(events.size() - 1);
        assertEquals("end", last.getKey());
        JsonNode row = last.getValue().path("record");
        assertEquals("completed", row.path("status").asText(), row.toString());
        assertEquals(100, row.path("percent_complete").asInt());

        JsonNode status = f.get(SYNC + "/" + id + "/status").body().path("record");
        assertEquals("completed", status.path("status").asText());
        assertEquals("remote", status.path("database").asText());
        assertEquals("ApiIT", status.path("triggered_by").asText());
        assertTrue(status.path("tables_synced").isArray() && status.path("tables_synced").size() > 0, status.toString());
        assertEquals(Scale.small().crawledPages(), ServerFixture.counts(f.remote).get("archon_crawled_pages"));

        JsonNode history = f.get(SYNC + "/history?direction=local-to-remote&search=apiit").body();
        assertEquals(1, history.path("total").asLong(), history.toString());
        assertEquals(id, history.path("records").get(0).path("sync_id").asText());
        assertEquals(0, f.get(SYNC + "/history?status=failed").body().path("total").asLong());
        JsonNode stats = f.get(SYNC + "/stats?days=7").body().path("stats");
        assertEquals(1, stats.path("total_syncs").asLong(), stats.toString());
        assertEquals(100.0, stats.path("success_rate").asDouble());
        assertEquals(1, stats.path("local_to_remote_count").asLong());

        assertEquals(409, f.post(SYNC + "/" + id + "/cancel", "").status(), "an ended run cannot be cancelled");
        JsonNode backups = f.get(SYNC + "/backups").body();
        assertTrue(backups.path("success").asBoolean(), backups.toString());
    }

    @Test
    @Order(4)
    void undoRestoresTheTargetThroughTheEngine() throws Exception {
        JsonNode last = f.get(SYNC + "/history?limit=1").body().path("records").get(0);
        ServerFixture.Reply r = f.postWhenIdle(SYNC + "/" + last.path("sync_id").asText() + "/undo", "{\"triggered_by\":\"ApiIT undo\"}");
        assertEquals(202, r.status(), r.text());
        {
            JsonNode row = f.awaitEnd(r.body().path("sync_id").asText(), Duration.ofMinutes(2));
            assertEquals("completed", row.path("status").asText(), row.toString());
            assertEquals(0L, ServerFixture.counts(f.remote).get("archon_crawled_pages"));
        }
        assertEquals(400, f.post(SYNC + "/" + last.path("sync_id").asText() + "/undo", "{\"forse\":true}").status());
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }
}
