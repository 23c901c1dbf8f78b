package dev.archon.sync.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import dev.archon.sync.migrate.Migrator;
import dev.archon.sync.testing.TestServers;
import dev.archon.sync.testing.TestServers.Version;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour of archon_sync_history as migrated: trigger, checks, helpers, RLS and grants. */
class HistoryTableIT {
    private Database db;

    @BeforeEach
    void migrate() {
        db = TestServers.freshDatabase(Version.PG15, DatabaseRole.LOCAL);
        new Migrator().migrate(db);
    }

    private void insert(Connection c, String syncId, String direction, String status, String startedAgo, Integer duration,
                        Integer rows) throws SQLException {
        Sql.update(c, "INSERT INTO archon_sync_history (sync_id, direction, status, started_at, duration_seconds, synced_rows)"
                + " VALUES (?, ?, ?, now() - ?::interval, ?, ?)", syncId, direction, status, startedAgo, duration, rows);
    }

    @Test
    void triggerMovesUpdatedAtOnUpdate() throws Exception {
        try (Connection c = db.open("test")) {
            Sql.update(c, "INSERT INTO archon_sync_history (sync_id, direction, status, updated_at)"
                    + " VALUES ('s1', 'local-to-remote', 'running', now() - interval '1 hour')");
            Sql.update(c, "UPDATE archon_sync_history SET status = 'completed' WHERE sync_id = 's1'");
            assertTrue(Sql.queryBoolean(c, "SELECT updated_at > now() - interval '1 minute' FROM archon_sync_history"));
            assertEquals("0", Sql.queryString(c, "SELECT percent_complete FROM archon_sync_history"));
            assertEquals("User", Sql.queryString(c, "SELECT triggered_by FROM archon_sync_history"));
        }
    }

    @Test
    void checkConstraintsRejectBadValuesNamingTheConstraint() throws Exception {
        try (Connection c = db.open("test")) {
            SQLException direction = assertThrows(SQLException.class, () -> insert(c, "a", "sideways", "running", "0", null, null));
            assertEquals("23514", direction.getSQLState());
            assertTrue(direction.getMessage().contains("archon_sync_history_direction_check"), direction.getMessage());
            SQLException status = assertThrows(SQLException.class, () -> insert(c, "b", "local-to-remote", "paused", "0", null, null));
            assertTrue(status.getMessage().contains("archon_sync_history_status_check"), status.getMessage());
            SQLException percent = assertThrows(SQLException.class, () -> Sql.update(c, "INSERT INTO archon_sync_history"
                    + " (sync_id, direction, status, percent_complete) VALUES ('c', 'bidirectional', 'running', 101)"));
            assertTrue(percent.getMessage().contains("archon_sync_history_percent_complete_check"), percent.getMessage());
            assertEquals(0, Sql.queryLong(c, "SELECT count(*) FROM archon_sync_history"));
        }
    }

    @Test
    void latestSyncIsTheNewestAndHonoursTheDirection() throws Exception {
        try (Connection c = db.open("test")) {
            insert(c, "old_l2r", "local-to-remote", "completed", "3 hours", 5, 10);
            insert(c, "new_r2l", "remote-to-local", "failed", "2 hours", 6, 0);
            insert(c, "newest_l2r", "local-to-remote", "running", "1 hour", null, 3);
            assertEquals("newest_l2r", Sql.queryString(c, "SELECT sync_id FROM get_latest_sync()"));
            assertEquals("new_r2l", Sql.queryString(c, "SELECT sync_id FROM get_latest_sync('remote-to-local')"));
            assertEquals(0, Sql.queryLong(c, "SELECT count(*) FROM get_latest_sync('bidirectional')"));
        }
    }

    @Test
    void statsCountOnlyTheLastDaysAndComputeTheSuccessFigures() throws Exception {
        try (Connection c = db.open("test"); Statement s = c.createStatement()) {
            insert(c, "a", "local-to-remote", "completed", "1 day", 10, 100);
            insert(c, "b", "remote-to-local", "completed", "2 days", 20, 200);
            insert(c, "c", "local-to-remote", "failed", "3 days", 30, null);
            insert(c, "old", "local-to-remote", "completed", "10 days", 1000, 5000);
            try (ResultSet rs = s.executeQuery("SELECT * FROM get_sync_stats(7)")) {
                assertTrue(rs.next());
                assertEquals(3, rs.getLong("total_syncs"));
                assertEquals(2, rs.getLong("successful_syncs"));
                assertEquals(1, rs.getLong("failed_syncs"));
                assertEquals(new BigDecimal("20.00"), rs.getBigDecimal("avg_duration_seconds"));
                assertEquals(300, rs.getLong("total_rows_synced"));
                assertEquals(2, rs.getLong("local_to_remote_count"));
                assertEquals(1, rs.getLong("remote_to_local_count"));
            }
            assertEquals(4, Sql.queryLong(c, "SELECT total_syncs FROM get_sync_stats(30)"));
            assertEquals(3, Sql.queryLong(c, "SELECT total_syncs FROM get_sync_stats()"));
        }
    }

    @Test
    void anonSeesNothingByAnyRoute() throws Exception {
        try (Connection c = db.open("test")) {
            insert(c, "a", "local-to-remote", "completed", "1 hour", 1, 1);
            Sql.execute(c, "SET ROLE anon");
            for (String sql : new String[] {"SELECT count(*) FROM archon_sync_history", "SELECT count(*) FROM get_latest_sync()",
                "SELECT total_syncs FROM get_sync_stats(7)"}) {
                long rows;
                try {
                    rows = Sql.queryLong(c, sql);
                } catch (SQLException denied) {
                    assertEquals("42501", denied.getSQLState(), denied.getMessage());
                    continue;
                }
                assertEquals(0, rows, "anon must see nothing through: " + sql);
            }
        }
    }

    @Test
    void authenticatedReadsButCannotWrite() throws Exception {
        try (Connection c = db.open("test")) {
            insert(c, "a", "local-to-remote", "completed", "1 hour", 1, 1);
            Sql.execute(c, "SET ROLE authenticated");
            assertEquals(1, Sql.queryLong(c, "SELECT count(*) FROM archon_sync_history"));
            assertEquals("a", Sql.queryString(c, "SELECT sync_id FROM get_latest_sync()"));
            assertEquals(1, Sql.queryLong(c, "SELECT total_syncs FROM get_sync_stats(7)"));
            assertThrows(SQLException.class, () -> insert(c, "b", "local-to-remote", "running", "0", null, null));
            int updated;
            try {
                updated = Sql.update(c, "UPDATE archon_sync_history SET status = 'failed'");
            } catch (SQLException denied) {
                updated = 0;
            }
            assertEquals(0, updated);
            Sql.execute(c, "RESET ROLE");
            assertEquals("completed", Sql.queryString(c, "SELECT status FROM archon_sync_history"));
        }
    }

    @Test
    void serviceRoleDoesEverything() throws Exception {
        try (Connection c = db.open("test")) {
            Sql.execute(c, "SET ROLE service_role");
            insert(c, "a", "local-to-remote", "running", "0", null, null);
            assertEquals(1, Sql.update(c, "UPDATE archon_sync_history SET status = 'completed' WHERE sync_id = 'a'"));
            assertEquals("a", Sql.queryString(c, "SELECT sync_id FROM get_latest_sync('local-to-remote')"));
            assertEquals(1, Sql.queryLong(c, "SELECT successful_syncs FROM get_sync_stats(1)"));
            assertEquals(1, Sql.update(c, "DELETE FROM archon_sync_history"));
        }
    }

    @Test
    void verifierNamesWhatIsMissingAndHowToFixIt() throws Exception {
        try (Connection c = db.open("test")) {
            Sql.execute(c, "DROP INDEX idx_sync_history_metadata; DROP POLICY \"Authenticated users can view sync history\""
                    + " ON archon_sync_history; GRANT EXECUTE ON FUNCTION get_sync_stats(integer) TO PUBLIC");
            SchemaReport report = new HistorySchemaVerifier(new Migrator()).verify(c, "local");
            assertFalse(report.ok());
            String text = report.toString();
            assertTrue(text.contains("index idx_sync_history_metadata is missing"), text);
            assertTrue(text.contains("policy \"Authenticated users can view sync history\" is missing"), text);
            assertTrue(text.contains("PUBLIC may execute get_sync_stats(integer)"), text);
            assertTrue(report.checks().stream().filter(ch -> !ch.ok()).allMatch(ch -> ch.fix().contains("archon-sync migrate")));
        }
    }
}
