package dev.archon.sync.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import dev.archon.sync.demo.ArchonDataset;
import dev.archon.sync.demo.Scale;
import dev.archon.sync.engine.SyncEngine;
import dev.archon.sync.migrate.Migrator;
import dev.archon.sync.testing.TestServers;
import dev.archon.sync.testing.TestServers.Version;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Two embedded databases (local filled with Archon-shaped data, remote with the empty schema, both
 * migrated) and an {@link ApiServer} on a free loopback port, with an HTTP client for the tests.
 */
final class ServerFixture implements AutoCloseable {
    static final String TOKEN = "test-token-0123456789-abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    final Database local;
    final Database remote;
    final Path backupDir;
    final ApiServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** A response: status and parsed body (null when the body is not JSON). */
    record Reply(int status, JsonNode body, String text) {
    }

    ServerFixture(Scale sourceScale) {
        this(sourceScale, true);
    }

    ServerFixture(Scale sourceScale, boolean targetSchema) {
        local = TestServers.freshDatabase(Version.PG15, DatabaseRole.LOCAL);
        remote = TestServers.freshDatabase(Version.PG15, DatabaseRole.REMOTE);
        Migrator migrator = new Migrator();
        migrator.migrate(local);
        migrator.migrate(remote);
        try (Connection c = local.open("test")) {
            ArchonDataset.createSchema(c);
            ArchonDataset.generate(c, sourceScale);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        if (targetSchema) {
            try (Connection c = remote.open("test")) {
                ArchonDataset.createSchema(c);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            Files.createDirectories(Path.of("target"));
            backupDir = Files.createTempDirectory(Path.of("target"), "backups");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server = new ApiServer(new SyncEngine(local, remote), local, remote, TOKEN, backupDir).start("127.0.0.1", 0);
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + TOKEN).GET());
    }

    Reply post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = JSON.readTree(r.body());
            } catch (IOException e) {
                body = null;
            }
            return new Reply(r.statusCode(), body, r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server-sent events of a run until the stream ends: (event name, parsed data). */
    List<Map.Entry<String, JsonNode>> events(String syncId, String tokenQuery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/api/database/sync/" + syncId + "/events?token=" + tokenQuery))
                .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(5)).GET().build();
        HttpResponse<Stream<String>> r = http.send(request, HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("events answered " + r.statusCode());
        }
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        String event = null;
        try (Stream<String> lines = r.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    out.add(Map.entry(event, JSON.readTree(line.substring(5).trim())));
                }
            }
        }
        return out;
    }

    /** Waits until the run's history row is no longer running; returns the row. */
    JsonNode awaitEnd(String syncId, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            Reply r = get("/api/database/sync/" + syncId + "/status");
            if (r.status() == 200 && !"running".equals(r.body().path("record").path("status").asText())) {
                return r.body().path("record");
            }
            Thread.sleep(200);
        }
        throw new AssertionError("sync " + syncId + " did not end within " + timeout);
    }

    /** Posts until the answer is not 409 (the previous run is still releasing the slot), for up to 10 s. */
    Reply postWhenIdle(String path, String body) throws InterruptedException {
        Reply r = post(path, body);
        for (int i = 0; i < 50 && r.status() == 409; i++) {
            Thread.sleep(200);
            r = post(path, body);
        }
        return r;
    }

    /** Row count of every archon_ table of db, by name. */
    static Map<String, Long> counts(Database db) {
        Map<String, Long> m = new LinkedHashMap<>();
        try (Connection c = db.open("test")) {
            for (String t : Sql.queryStrings(c, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    + " AND tablename LIKE 'archon%' AND tablename <> 'archon_sync_history' ORDER BY 1")) {
                m.put(t, Sql.queryLong(c, "SELECT count(*) FROM " + Sql.ident(t)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    @Override
    public void close() {
        server.close();
    }
}
