package dev.archon.sync.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import dev.archon.sync.demo.EmbeddedServer;
import dev.archon.sync.migrate.MigrationOutcome.Status;
import dev.archon.sync.schema.HistorySchemaVerifier;
import dev.archon.sync.schema.SchemaReport;
import dev.archon.sync.testing.TestServers;
import dev.archon.sync.testing.TestServers.Version;
import java.sql.Connection;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MigratorIT {
    private static List<Status> statuses(MigrationReport r) {
        return r.outcomes().stream().map(MigrationOutcome::status).toList();
    }

    private static SchemaReport verify(Database db) throws Exception {
        try (Connection c = db.open("test")) {
            return new HistorySchemaVerifier(new Migrator()).verify(c, db.label());
        }
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void migrateTwiceIsIdempotent(Version v) throws Exception {
        Database db = TestServers.freshDatabase(v, DatabaseRole.LOCAL);
        MigrationReport first = new Migrator().migrate(db);
        assertEquals(Collections.nCopies(Migration.bundled().size(), Status.APPLIED), statuses(first));
        assertFalse(first.unchanged());
        MigrationReport second = new Migrator().migrate(db);
        assertEquals(Collections.nCopies(Migration.bundled().size(), Status.ALREADY_APPLIED), statuses(second));
        assertTrue(second.unchanged());
        try (Connection c = db.open("test")) {
            assertEquals(Migration.bundled().size(), Sql.queryLong(c, "SELECT count(*) FROM archon_migrations"));
            assertEquals(Migration.bundled().get(0).checksum(), Sql.queryString(c,
                    "SELECT checksum FROM archon_migrations WHERE migration_name = '021_add_sync_history_table'"));
        }
        SchemaReport report = verify(db);
        assertTrue(report.ok(), report.toString());
    }

    @Test
    void theBaseTablesAreClosedToAnonAndEachDatabaseGetsOneIdentity() throws Exception {
        Database db = TestServers.freshDatabase(Version.PG15, DatabaseRole.LOCAL);
        new Migrator().migrate(db);
        new Migrator().migrate(db);
        try (Connection c = db.open("test")) {
            assertEquals(1, Sql.queryLong(c, "SELECT count(*) FROM archon_sync_identity"));
            for (String t : List.of("archon_sync_identity", "archon_sync_base_tables", "archon_sync_base")) {
                assertTrue(Sql.queryBoolean(c, "SELECT relrowsecurity FROM pg_class WHERE oid = ?::regclass", t), t);
                assertFalse(Sql.queryBoolean(c, "SELECT has_table_privilege('anon', ?, 'SELECT')", t), t);
                assertFalse(Sql.queryBoolean(c, "SELECT has_table_privilege('authenticated', ?, 'SELECT')", t), t);
                assertTrue(Sql.queryBoolean(c, "SELECT has_table_privilege('service_role', ?, 'DELETE')", t), t);
            }
        }
        Database other = TestServers.freshDatabase(Version.PG15, DatabaseRole.REMOTE);
        new Migrator().migrate(other);
        try (Connection a = db.open("test"); Connection b = other.open("test")) {
            String sql = "SELECT database_id::text FROM archon_sync_identity";
            assertFalse(Sql.queryString(a, sql).equals(Sql.queryString(b, sql)), "two databases, two identities");
        }
    }

    @Test
    void changedBundledTextIsReportedAsDriftAndNotReapplied() throws Exception {
        Database db = TestServers.freshDatabase(Version.PG15, DatabaseRole.LOCAL);
        new Migrator().migrate(db);
        Migration original = Migration.bundled().get(0);
        String changedSql = original.sql() + "\nDROP INDEX idx_sync_history_started;\n";
        Migration changed = new Migration(original.version(), original.name(), changedSql, Migration.md5(changedSql));
        MigrationReport report = new Migrator(List.of(changed, Migration.bundled().get(1), Migration.bundled().get(2))).migrate(db);
        assertEquals(List.of(Status.DRIFT, Status.ALREADY_APPLIED, Status.ALREADY_APPLIED), statuses(report));
        assertEquals(original.checksum(), report.outcomes().get(0).registeredChecksum());
        assertTrue(report.hasDrift());
        try (Connection c = db.open("test")) {
            assertTrue(Sql.queryBoolean(c, "SELECT to_regclass('public.idx_sync_history_started') IS NOT NULL"),
                    "a drifted migration must not be re-applied");
            Sql.update(c, "UPDATE archon_migrations SET checksum = 'ffffffffffffffffffffffffffffffff' WHERE version = '0.3.0'");
        }
        SchemaReport verified = verify(db);
        assertFalse(verified.ok());
        assertTrue(verified.toString().contains("DRIFT"), verified.toString());
    }

    @Test
    void archonsOwnRegistrationWithoutChecksumCountsAsApplied() throws Exception {
        Database db = TestServers.freshDatabase(Version.PG15, DatabaseRole.REMOTE);
        TestServers.superuser(db, "CREATE ROLE anon NOLOGIN; CREATE ROLE authenticated NOLOGIN; CREATE ROLE service_role NOLOGIN;"
                .replace("CREATE ROLE", "DO $$ BEGIN CREATE ROLE").replace(" NOLOGIN;", " NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"));
        try (Connection c = db.open("test")) {
            // What Archon does: its own 021, then a registration without checksum.
            Sql.execute(c, Migration.bundled().get(0).sql());
            Sql.execute(c, "CREATE TABLE archon_migrations (id UUID PRIMARY KEY DEFAULT gen_random_uuid(),"
                    + " version VARCHAR(20) NOT NULL, migration_name VARCHAR(255) NOT NULL, applied_at TIMESTAMPTZ DEFAULT NOW(),"
                    + " checksum VARCHAR(32), UNIQUE (version, migration_name))");
            Sql.execute(c, "INSERT INTO archon_migrations (version, migration_name, applied_at)"
                    + " VALUES ('0.3.0', '021_add_sync_history_table', NOW()) ON CONFLICT DO NOTHING");
            Sql.execute(c, "INSERT INTO archon_sync_history (sync_id, direction, status) VALUES ('s1', 'local-to-remote', 'completed')");
        }
        MigrationReport report = new Migrator().migrate(db);
        assertEquals(Status.ALREADY_APPLIED_UNKNOWN_CHECKSUM, statuses(report).get(0));
        assertEquals(Collections.nCopies(Migration.bundled().size() - 1, Status.APPLIED), statuses(report).subList(1, statuses(report).size()));
        try (Connection c = db.open("test")) {
            assertEquals(1, Sql.queryLong(c, "SELECT count(*) FROM archon_sync_history"), "existing history is kept");
        }
        assertTrue(verify(db).ok());
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void nonSuperuserOwnerMigratesWhenTheRolesExist(Version v) throws Exception {
        String owner = "owner_" + System.nanoTime();
        Database admin = TestServers.freshDatabase(v, DatabaseRole.LOCAL);
        TestServers.superuser(admin, "CREATE ROLE " + owner + " LOGIN PASSWORD 'pw' NOSUPERUSER NOCREATEROLE");
        new Migrator().migrate(admin); // makes sure the cluster-wide roles exist
        Database db = TestServers.freshDatabase(v, DatabaseRole.REMOTE, owner, owner, "pw");
        MigrationReport report = new Migrator().migrate(db);
        assertEquals(Collections.nCopies(Migration.bundled().size(), Status.APPLIED), statuses(report));
        assertTrue(report.createdRoles().isEmpty());
        SchemaReport verified = verify(db);
        assertTrue(verified.ok(), verified.toString());
        try (Connection c = db.open("test")) {
            assertEquals(owner, Sql.queryString(c, "SELECT tableowner FROM pg_tables WHERE tablename = 'archon_sync_history'"));
        }
    }

    @Test
    void missingRolesWithoutCreateRoleRefuseNamingTheStatement() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.start()) {
            Database su = new Database(server.config(DatabaseRole.REMOTE));
            try (Connection c = su.open("test")) {
                Sql.execute(c, "CREATE ROLE plain LOGIN PASSWORD 'pw' NOCREATEROLE");
                Sql.execute(c, "CREATE DATABASE plaindb OWNER plain");
            }
            Database db = new Database(server.config(DatabaseRole.REMOTE, "plaindb", "plain", "pw"));
            ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> new Migrator().migrate(db));
            assertEquals(ErrorCode.REFUSED, e.code());
            assertTrue(e.getMessage().contains("CREATE ROLE anon NOLOGIN;"), e.getMessage());
            assertTrue(e.getMessage().contains("remote database"), e.getMessage());
            try (Connection c = db.open("test")) {
                assertFalse(Sql.queryBoolean(c, "SELECT to_regclass('public.archon_migrations') IS NOT NULL"), "nothing changed");
            }
            // The superuser may create them, and says so.
            Database suDb = new Database(server.config(DatabaseRole.REMOTE, "plaindb", "postgres", null));
            assertEquals(SupabaseRoles.NAMES, new Migrator().migrate(suDb).createdRoles());
        }
    }
}
