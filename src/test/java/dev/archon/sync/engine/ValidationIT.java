package dev.archon.sync.engine;

import static dev.archon.sync.engine.EngineFixture.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.sync.Json;
import dev.archon.sync.cli.CliRunner;
import dev.archon.sync.testing.TestServers.Version;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation lists every incompatibility with its fix, and changes nothing. */
class ValidationIT {
    @Test
    void everyIncompatibilityIsListedWithItsFixAndWarningsDoNotStopTheSync() throws Exception {
        EngineFixture f = new EngineFixture(Version.PG15, Version.PG15, EngineFixture.tempDir());
        sql(f.local, "CREATE TYPE archon_mood AS ENUM ('sad', 'ok', 'happy');"
                + " CREATE TABLE archon_a (id int PRIMARY KEY, mood archon_mood, n numeric(10,2), note text);"
                + " CREATE TABLE archon_b (id int PRIMARY KEY); INSERT INTO archon_a VALUES (1, 'happy', 1.5, 'x')");
        sql(f.remote, "CREATE TYPE archon_mood AS ENUM ('sad', 'ok');"
                + " CREATE TABLE archon_a (id int PRIMARY KEY, mood archon_mood, n numeric(12,2), extra text)");
        Preflight p = f.engine.preflight(f.request(Direction.LOCAL_TO_REMOTE));
        assertFalse(p.ok());
        List<String> errors = p.errors().stream().flatMap(c -> c.details().stream()).toList();
        String all = String.join("\n", errors);
        assertTrue(all.contains("table public.archon_b is missing on the target"), all);
        assertTrue(all.contains("column public.archon_a.note (text) is missing on the target: ALTER TABLE"), all);
        assertTrue(all.contains("column public.archon_a.n is numeric(10,2) on the source but numeric(12,2) on the target"), all);
        assertTrue(all.contains("enum type archon_mood lacks the value(s) [happy] on the target"), all);
        assertTrue(p.warnings().stream().flatMap(c -> c.details().stream())
                .anyMatch(d -> d.contains("public.archon_a.extra exists only on the target")), p.warnings().toString());

        CliRunner.Run json = CliRunner.run("preflight", "--direction", "local-to-remote", "--json",
                "--local", f.local.config().toUriWithPassword(), "--remote", f.remote.config().toUriWithPassword());
        assertEquals(6, json.exit(), json.err());
        JsonNode doc = Json.MAPPER.readTree(json.out());
        assertFalse(doc.get("ok").asBoolean());
        assertEquals("local-to-remote", doc.get("direction").asText());
        assertTrue(doc.get("checks").size() >= 8, doc.toString());
        assertEquals(1, doc.get("rows_to_load").asLong(), doc.toString());
    }
}
