package dev.archon.sync.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The result of validation: every check, and the per-table plan the apply step executes.
 *
 * @param direction      the direction validated
 * @param sourceVersion  the source server's version ("15.14")
 * @param targetVersion  the target server's version
 * @param checks         every check in order
 * @param tables         the plan, in load (foreign-key) order
 */
public record Preflight(Direction direction, String sourceVersion, String targetVersion, List<CheckResult> checks,
                        List<TablePlan> tables) {
    public Preflight {
        checks = List.copyOf(checks);
        tables = List.copyOf(tables);
    }

    /** True when no check is an error: the sync may run. */
    @JsonProperty
    public boolean ok() {
        return checks.stream().noneMatch(c -> c.status() == CheckResult.Status.ERROR);
    }

    public List<CheckResult> errors() {
        return checks.stream().filter(c -> c.status() == CheckResult.Status.ERROR).toList();
    }

    public List<CheckResult> warnings() {
        return checks.stream().filter(c -> c.status() == CheckResult.Status.WARNING).toList();
    }

    @JsonProperty
    public long rowsToDelete() {
        return tables.stream().mapToLong(TablePlan::targetRows).sum();
    }

    @JsonProperty
    public long rowsToLoad() {
        return tables.stream().mapToLong(TablePlan::sourceRows).sum();
    }

    @JsonProperty
    public long bytesToLoad() {
        return tables.stream().mapToLong(TablePlan::sourceBytes).sum();
    }
}
