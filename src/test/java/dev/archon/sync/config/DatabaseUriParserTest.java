package dev.archon.sync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseUriParserTest {
    private static DatabaseConfig parse(String uri) {
        return DatabaseUriParser.parse(DatabaseRole.LOCAL, uri, "--local");
    }

    @Test
    void plainUriGivesEveryPart() {
        DatabaseConfig c = parse("postgresql://archon:secret@db.example.com:6000/archon_db?sslmode=require");
        assertEquals("db.example.com", c.host());
        assertEquals(6000, c.port());
        assertEquals("archon_db", c.database());
        assertEquals("archon", c.user());
        assertEquals("secret", c.password());
        assertEquals("require", c.params().get("sslmode"));
        assertEquals("jdbc:postgresql://db.example.com:6000/archon_db", c.jdbcUrl());
    }

    @Test
    void percentEncodedPasswordIsDecoded() {
        DatabaseConfig c = parse("postgresql://postgres.abcd:p%40ss%3Aw%2Frd%25@aws-0.pooler.supabase.com:5432/postgres");
        assertEquals("p@ss:w/rd%", c.password());
        assertEquals("postgres.abcd", c.user());
    }

    @Test
    void unencodedAtInPasswordSplitsAtTheLastAt() {
        DatabaseConfig c = parse("postgres://u:pa@ss@localhost/db");
        assertEquals("pa@ss", c.password());
        assertEquals("localhost", c.host());
        assertEquals(5432, c.port());
    }

    @Test
    void ipv6HostInBrackets() {
        DatabaseConfig c = parse("postgresql://u:p@[::1]:5433/db");
        assertEquals("::1", c.host());
        assertEquals(5433, c.port());
        assertEquals("jdbc:postgresql://[::1]:5433/db", c.jdbcUrl());
    }

    @Test
    void jdbcUrlIsAccepted() {
        DatabaseConfig c = parse("jdbc:postgresql://localhost:5544/archon?user=me&password=pw&sslmode=disable");
        assertEquals("localhost", c.host());
        assertEquals(5544, c.port());
        assertEquals("archon", c.database());
        assertEquals("me", c.user());
        assertEquals("pw", c.password());
    }

    @Test
    void passwordNeverInToStringOrDescription() {
        DatabaseConfig c = parse("postgresql://u:TopSecret99@localhost:5432/db");
        assertFalse(c.toString().contains("TopSecret99"));
        assertFalse(c.describe().contains("TopSecret99"));
        assertTrue(c.toUriWithPassword().contains("TopSecret99"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mysql://u:TopSecret99@h/db | scheme",
        "postgresql://u:TopSecret99@h:99999/db | port",
        "postgresql://u:TopSecret99@h:abc/db | port",
        "postgresql://u:TopSecret99@h:5432/db?sslmode=maybe | sslmode",
        "postgresql://u:TopSecret99@[::1/db | IPv6",
        "'' | empty",
    })
    void malformedUriIsAConnectionErrorNamingTheDatabaseWithoutThePassword(String uri, String mentions) {
        ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> parse(uri));
        assertEquals(ErrorCode.CONNECTION_FAILED, e.code());
        assertEquals(2, e.code().exitCode());
        assertTrue(e.getMessage().contains("local database"), e.getMessage());
        assertTrue(e.getMessage().contains("--local"), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains(mentions.toLowerCase()), e.getMessage());
        assertFalse(e.getMessage().contains("TopSecret99"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void noPasswordMeansNull() {
        assertNull(parse("postgresql://u@localhost/db").password());
    }
}
