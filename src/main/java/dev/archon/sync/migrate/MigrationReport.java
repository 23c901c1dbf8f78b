package dev.archon.sync.migrate;

import java.util.List;

/**
 * The result of migrating one database.
 *
 * @param database     "local" or "remote"
 * @param outcomes     one per bundled migration, in order
 * @param createdRoles Supabase roles this run created because they were missing
 */
public record MigrationReport(String database, List<MigrationOutcome> outcomes, List<String> createdRoles) {
    public MigrationReport {
        outcomes = List.copyOf(outcomes);
        createdRoles = List.copyOf(createdRoles);
    }

    /** True when this run applied nothing and created nothing. */
    public boolean unchanged() {
        return createdRoles.isEmpty() && outcomes.stream().noneMatch(o -> o.status() == MigrationOutcome.Status.APPLIED);
    }

    public boolean hasDrift() {
        return outcomes.stream().anyMatch(o -> o.status() == MigrationOutcome.Status.DRIFT);
    }
}
