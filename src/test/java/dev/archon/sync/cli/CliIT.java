package dev.archon.sync.cli;

import dev.archon.sync.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import dev.archon.sync.testing.TestServers;
import dev.archon.sync.testing.TestServers.Version;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line end to end against real servers: output, exit codes, secrets. */
class CliIT {
    private static final String SECRET = "S3cret-Pa55";
    private static Database secured;

    /** A result of one run of the command line. */
    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(args.length == 0 ? null : args[0]); // as main builds it
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static String uri(Database db) {
        return db.config().toUriWithPassword();
    }

    /** A role that must log in with a password (scram), whatever the embedded server's trust rules. */
    @BeforeAll
    static void passwordRole() throws Exception {
        Database admin = TestServers.freshDatabase(Version.PG15, DatabaseRole.REMOTE);
        try (Connection c = admin.open("test")) {
            Sql.execute(c, "DO $$ BEGIN CREATE ROLE secure_user LOGIN PASSWORD '" + SECRET + "';"
                    + " EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            String hba = Sql.queryString(c, "SHOW hba_file");
            java.nio.file.Path file = java.nio.file.Path.of(hba);
            String rules = java.nio.file.Files.readString(file);
            if (!rules.startsWith("host all secure_user")) {
                java.nio.file.Files.writeString(file, "host all secure_user 127.0.0.1/32 scram-sha-256\n"
                        + "host all secure_user ::1/128 scram-sha-256\n" + rules);
                Sql.queryBoolean(c, "SELECT pg_reload_conf()");
            }
        }
        secured = new Database(admin.config().withCredentials("secure_user", SECRET));
    }

    @Test
    void verifySchemaOnAnUnmigratedDatabaseFailsWithTheFix() {
        Database db = TestServers.freshDatabase(Version.PG15, DatabaseRole.LOCAL);
        Run r = run("verify-schema", "--target", "local", "--local", uri(db));
        assertEquals(4, r.exit(), r.all());
        assertTrue(r.out().contains("table public.archon_sync_history does not exist"), r.out());
        assertTrue(r.out().contains("fix: run: archon-sync migrate --target local"), r.out());
    }

    @Test
    void migrateThenVerifyOnBothThenMigrateAgainChangesNothing() throws Exception {
        Database local = TestServers.freshDatabase(Version.PG15, DatabaseRole.LOCAL);
        Database remote = TestServers.freshDatabase(Version.PG17, DatabaseRole.REMOTE);
        Run first = run("migrate", "--local", uri(local), "--remote", uri(remote));
        assertEquals(0, first.exit(), first.all());
        assertTrue(first.out().contains("0.3.0/021_add_sync_history_table: applied"), first.out());
        Run second = run("migrate", "--local", uri(local), "--remote", uri(remote));
        assertEquals(0, second.exit(), second.all());
        assertEquals(2, second.out().split("up to date: nothing changed", -1).length - 1, second.out());
        Run verify = run("verify-schema", "--json", "--local", uri(local), "--remote", uri(remote));
        assertEquals(0, verify.exit(), verify.all());
        JsonNode json = Json.MAPPER.readTree(verify.out());
        assertTrue(json.get("ok").asBoolean());
        assertEquals(2, json.get("databases").size());
        assertEquals("7/7", json.get("databases").get(1).get("checks").get(1).get("summary").asText());
    }

    @Test
    void wrongPasswordIsExitTwoNamingTheDatabaseWithoutThePassword() {
        String bad = secured.config().withCredentials("secure_user", "Wr0ng-" + SECRET).toUriWithPassword();
        Run r = run("verify-schema", "--target", "remote", "--remote", bad);
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("remote database") && r.err().contains("password"), r.err());
        assertFalse(r.all().contains(SECRET), r.all());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Run good = run("migrate", "--target", "remote", "--remote", uri(secured));
        assertFalse(good.all().contains(SECRET), good.all());
    }

    @Test
    void unreachableHostAnswersWithinTenSeconds() {
        long start = System.nanoTime();
        Run refused = run("verify-schema", "--target", "local", "--local", "postgresql://u:" + SECRET + "@127.0.0.1:1/db");
        Run unknown = run("verify-schema", "--target", "local", "--local", "postgresql://u:" + SECRET + "@no-such-host.invalid/db");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(2, refused.exit(), refused.all());
        assertTrue(refused.err().contains("local database") && refused.err().contains("refused"), refused.err());
        assertEquals(2, unknown.exit(), unknown.all());
        assertTrue(unknown.err().contains("unknown host"), unknown.err());
        assertFalse(refused.all().contains(SECRET) || unknown.all().contains(SECRET));
        assertTrue(seconds <= 20, "took " + seconds + " s");
    }

    @Test
    void badLinkTimeoutIsExitOneNamingTheOption() {
        Database db = TestServers.freshDatabase(Version.PG15, DatabaseRole.LOCAL);
        Run r = run("verify-schema", "--target", "local", "--local", uri(db), "--link-timeout", "soon");
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.err().contains("--link-timeout must be a number of seconds"), r.err());
        Run ok = run("migrate", "--target", "local", "--local", uri(db), "--link-timeout", "5s");
        assertEquals(0, ok.exit(), ok.all());
    }

    @Test
    void malformedUriInEnvFileIsExitTwo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path env = dir.resolve(".env");
        java.nio.file.Files.writeString(env, "LOCAL_DATABASE_URI=postgresql://u:" + SECRET + "@host:notaport/db\n");
        Run r = run("migrate", "--target", "local", "--env-file", env.toString());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("LOCAL_DATABASE_URI in"), r.err());
        assertFalse(r.all().contains(SECRET));
    }

    @Test
    void silentHostGivesUpAfterTenSeconds() {
        long start = System.nanoTime();
        // A non-routable address: either the network says so at once, or nothing answers and the timeout applies.
        Run r = run("verify-schema", "--target", "remote", "--remote", "postgresql://u:" + SECRET + "@10.255.255.1:5432/db");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("cannot reach the remote database"), r.err());
        assertTrue(seconds <= 15, "took " + seconds + " s");
        assertFalse(r.all().contains(SECRET));
    }

    @Test
    void supabaseTransactionPoolerIsRefusedWithTheConnectionToUse() {
        Run r = run("preflight", "--direction", "local-to-remote", "--local", "postgresql://u:p@localhost:5432/db",
                "--remote", "postgresql://postgres.ref:" + SECRET + "@aws-0-eu.pooler.supabase.com:6543/postgres");
        assertEquals(6, r.exit(), r.all());
        assertTrue(r.err().contains("6543") && r.err().contains("session pooler"), r.err());
        assertFalse(r.all().contains(SECRET));
    }

    @Test
    void badArgumentsAreExitOne() {
        Run r = run("migrate", "--target", "sideways");
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.err().contains("--target"), r.err());
        assertEquals(1, run("no-such-command").exit());
    }
}
