package dev.archon.sync.migrate;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the bundled migrations to one database and registers them in {@code archon_migrations}.
 * Everything happens in one transaction under an advisory lock, so two concurrent runs cannot
 * interleave and a failure leaves the database as it was. Stateless and thread-safe.
 */
public final class Migrator {
    private static final Logger log = LoggerFactory.getLogger(Migrator.class);
    private static final String LOCK_KEY = "archon-sync migrate";

    private final List<Migration> migrations;

    public Migrator() {
        this(Migration.bundled());
    }

    /** With another list of migrations (tests: a changed text to provoke drift). */
    public Migrator(List<Migration> migrations) {
        this.migrations = List.copyOf(migrations);
    }

    /**
     * Applies every pending migration. A migration registered with another checksum is reported as
     * drift and not applied; one registered with a NULL checksum counts as applied.
     *
     * @throws ArchonSyncException REFUSED when roles are missing and cannot be created or a
     *                             privilege is lacking; TRANSFER_FAILED when a statement fails
     */
    public MigrationReport migrate(Database db) {
        String label = db.label();
        String current = null;
        try (Connection c = db.open("archon-sync migrate")) {
            c.setAutoCommit(false);
            try {
                Sql.queryString(c, "SELECT pg_advisory_xact_lock(hashtext(?))::text", LOCK_KEY);
                List<String> created = SupabaseRoles.ensure(c, label);
                if (!MigrationRegistry.exists(c)) {
                    MigrationRegistry.create(c);
                }
                Map<String, Optional<String>> registered = MigrationRegistry.registered(c);
                List<MigrationOutcome> outcomes = new ArrayList<>();
                for (Migration m : migrations) {
                    current = m.key();
                    MigrationOutcome found = MigrationRegistry.inspect(m, registered);
                    if (found.status() == MigrationOutcome.Status.PENDING) {
                        Sql.execute(c, m.sql());
                        MigrationRegistry.register(c, m);
                        found = new MigrationOutcome(m, MigrationOutcome.Status.APPLIED, null);
                    }
                    log.info("{} database: migration {} {}", label, m.key(), found.status().text());
                    outcomes.add(found);
                }
                c.commit();
                return new MigrationReport(label, outcomes, created);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            String what = current == null ? "could not prepare the migrations on the " + label + " database"
                    : "could not apply migration " + current + " on the " + label + " database (nothing was changed)";
            ErrorCode code = "42501".equals(e.getSQLState()) ? ErrorCode.REFUSED : ErrorCode.TRANSFER_FAILED;
            throw ArchonSyncException.database(code, what, e);
        }
    }

    /** The registry state of every bundled migration, without changing anything. */
    public List<MigrationOutcome> status(Connection c) throws SQLException {
        Map<String, Optional<String>> registered = MigrationRegistry.exists(c) ? MigrationRegistry.registered(c) : Map.of();
        return migrations.stream().map(m -> MigrationRegistry.inspect(m, registered)).toList();
    }
}
