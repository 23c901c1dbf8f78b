package dev.archon.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import dev.archon.sync.demo.Scale;
import dev.archon.sync.engine.SyncEngine;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** The API's refusals that need a database in a particular state: 422 (validation) and 502 (unreachable). */
class ApiRefusalIT {
    private static final String SYNC = "/api/database/sync";

    @Test
    void validationRefusalIs422WithTheReasonsAndChangesNothing() throws Exception {
        try (ServerFixture f = new ServerFixture(Scale.ofRows(50), false)) {
            ServerFixture.Reply r = f.post(SYNC, "{\"direction\": \"local-to-remote\"}");
            assertEquals(422, r.status(), r.text());
            assertFalse(r.body().path("success").asBoolean());
            assertTrue(r.text().contains("archon_crawled_pages") && r.text().contains("missing on the target"), r.text());
            try (Connection c = f.remote.open("test")) {
                assertEquals(0, Sql.queryLong(c, "SELECT count(*) FROM archon_sync_history"), "nothing recorded");
                assertFalse(Sql.queryBoolean(c, "SELECT to_regclass('public.archon_crawled_pages') IS NOT NULL"));
            }
        }
    }

    @Test
    void unreachableDatabaseIs502WithoutThePassword() throws Exception {
        try (ServerFixture f = new ServerFixture(Scale.ofRows(20))) {
            DatabaseConfig c = f.remote.config();
            Database gone = new Database(new DatabaseConfig(c.role(), "127.0.0.1", 1, c.database(), c.user(), "Secret-PW-9",
                    c.params(), "REMOTE_DATABASE_URI environment variable"));
            ApiServer server = new ApiServer(new SyncEngine(f.local, gone), f.local, gone, ServerFixture.TOKEN, f.backupDir)
                    .start("127.0.0.1", 0);
            try {
                String base = "http://127.0.0.1:" + server.port();
                for (String path : new String[] {SYNC + "/preflight", SYNC}) {
                    ServerFixture.Reply r = f.send(HttpRequest.newBuilder(URI.create(base + path))
                            .header("Authorization", "Bearer " + ServerFixture.TOKEN).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"direction\": \"local-to-remote\"}")));
                    assertEquals(502, r.status(), path + ": " + r.text());
                    assertTrue(r.text().contains("remote database"), r.text());
                    assertFalse(r.text().contains("Secret-PW-9"), r.text());
                }
                ServerFixture.Reply health = f.send(HttpRequest.newBuilder(URI.create(base + "/health")).GET());
                assertFalse(health.body().path("databases").path("remote").path("reachable").asBoolean(), health.text());
            } finally {
                server.close();
            }
        }
    }
}
