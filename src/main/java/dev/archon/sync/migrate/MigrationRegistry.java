package dev.archon.sync.migrate;

import dev.archon.sync.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Reads and writes Archon's {@code archon_migrations} table. */
final class MigrationRegistry {
    /** Archon's own definition of the table, with its RLS policies. */
    private static final String CREATE = """
            CREATE TABLE IF NOT EXISTS archon_migrations (
                id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                version VARCHAR(20) NOT NULL,
                migration_name VARCHAR(255) NOT NULL,
                applied_at TIMESTAMPTZ DEFAULT NOW(),
                checksum VARCHAR(32),
                UNIQUE (version, migration_name)
            );
            ALTER TABLE archon_migrations ENABLE ROW LEVEL SECURITY;
            DROP POLICY IF EXISTS "Allow service role full access to archon_migrations" ON archon_migrations;
            CREATE POLICY "Allow service role full access to archon_migrations" ON archon_migrations
                FOR ALL TO service_role USING (true) WITH CHECK (true);
            DROP POLICY IF EXISTS "Allow authenticated users to read archon_migrations" ON archon_migrations;
            CREATE POLICY "Allow authenticated users to read archon_migrations" ON archon_migrations
                FOR SELECT TO authenticated USING (true);
            """;

    private MigrationRegistry() {
    }

    static boolean exists(Connection c) throws SQLException {
        return Sql.queryBoolean(c, "SELECT to_regclass('public.archon_migrations') IS NOT NULL");
    }

    static void create(Connection c) throws SQLException {
        Sql.execute(c, CREATE);
    }

    /** version/name to checksum (the value may be null: registered without checksum). */
    static Map<String, Optional<String>> registered(Connection c) throws SQLException {
        Map<String, Optional<String>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT version, migration_name, checksum FROM public.archon_migrations");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1) + "/" + rs.getString(2), Optional.ofNullable(rs.getString(3)));
            }
        }
        return out;
    }

    static void register(Connection c, Migration m) throws SQLException {
        Sql.update(c, "INSERT INTO public.archon_migrations (version, migration_name, checksum) VALUES (?, ?, ?)"
                + " ON CONFLICT (version, migration_name) DO NOTHING", m.version(), m.name(), m.checksum());
    }

    /** The outcome a registry state gives a migration, without applying anything. */
    static MigrationOutcome inspect(Migration m, Map<String, Optional<String>> registered) {
        Optional<String> row = registered.get(m.key());
        if (row == null) {
            return new MigrationOutcome(m, MigrationOutcome.Status.PENDING, null);
        }
        if (row.isEmpty()) {
            return new MigrationOutcome(m, MigrationOutcome.Status.ALREADY_APPLIED_UNKNOWN_CHECKSUM, null);
        }
        MigrationOutcome.Status status = row.get().equalsIgnoreCase(m.checksum())
                ? MigrationOutcome.Status.ALREADY_APPLIED : MigrationOutcome.Status.DRIFT;
        return new MigrationOutcome(m, status, row.get());
    }
}
