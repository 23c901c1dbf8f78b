package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.delta.ConflictPolicy;
import dev.archon.sync.delta.KeyConflict;
import dev.archon.sync.delta.Resolution;
import dev.archon.sync.delta.Side;
import dev.archon.sync.delta.TableMerge;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles every key of a compared bidirectional merge before anything is written: generated keys
 * renumbered, conflicts resolved by {@code updated_at} under {@code newer}, natural-key conflicts
 * decided, and the planned result checked against every UNIQUE key and foreign key of the merged
 * tables on both sides (in rounds: a natural-key resolution changes the plan, which is checked
 * again). Then the refusals, in order: unresolved conflicts (exit 7), mass deletions (exit 6),
 * constraint violations (exit 6). Used once per run.
 */
final class MergeDecisions {
    private static final Logger log = LoggerFactory.getLogger(MergeDecisions.class);
    /** Rounds of natural-key resolution; a plan still colliding after them is refused as a violation. */
    static final int MAX_ROUNDS = 3;

    private final MergeOptions options;
    private List<NaturalKeys.Decision> unresolvedNatural = List.of();
    private MergeCheck.Result check = new MergeCheck.Result(List.of(), List.of());

    MergeDecisions(MergeOptions options) {
        this.options = options;
    }

    void settle(Connection loc, Connection rem, MergeScan scan, List<TablePlan> tables, RunContext run)
            throws SQLException, IOException {
        Map<String, List<String>> moved = KeyCollisions.renumber(loc, rem, scan, run);
        if (!moved.isEmpty()) {
            run.metrics.put("generated_keys_renumbered_on_remote", moved);
        }
        MergeConstraints localConstraints = MergeConstraints.read(loc, Side.LOCAL, tables);
        MergeConstraints remoteConstraints = MergeConstraints.read(rem, Side.REMOTE, tables);
        double checkSeconds = 0;
        List<String> resolved = new ArrayList<>();
        List<String> followed = new ArrayList<>();
        java.util.Set<String> fallback = new java.util.LinkedHashSet<>();
        for (int round = 0; ; round++) {
            if (options.onConflict() == ConflictPolicy.NEWER) {
                fallback.addAll(resolveByUpdatedAt(loc, rem, scan));
            }
            long checkStart = System.nanoTime();
            check = MergeCheck.run(loc, rem, scan, localConstraints, remoteConstraints);
            checkSeconds += FullSync.seconds(checkStart);
            List<NaturalKeys.Decision> decisions = NaturalKeys.decide(loc, rem, scan, check.collisions(), options.onConflict());
            unresolvedNatural = decisions.stream().filter(d -> d.winner() == null).toList();
            if (round == MAX_ROUNDS || !NaturalKeys.apply(decisions, scan, loc, rem, localConstraints, remoteConstraints, followed,
                    run)) {
                break;
            }
            decisions.stream().filter(d -> d.winner() != null).map(NaturalKeys::resolvedLine).forEach(resolved::add);
        }
        if (options.onConflict() == ConflictPolicy.NEWER) {
            unresolvedNatural.stream().map(d -> d.collision().table()).filter(MergeDecisions::withoutUpdatedAt)
                    .forEach(t -> fallback.add(t.name()));
        }
        if (!fallback.isEmpty()) {
            run.metrics.put("newer_not_applicable", List.copyOf(fallback));
            log.warn("--on-conflict newer does not apply to {} (no updated_at column): their conflicts fail", fallback);
        }
        run.metrics.put("constraint_check_seconds", FullSync.round(checkSeconds));
        if (!followed.isEmpty()) {
            run.metrics.put("natural_key_references_followed", followed);
        }
        if (!resolved.isEmpty()) {
            run.metrics.put("natural_key_conflicts_resolved", resolved);
            log.info("natural-key conflicts resolved: {}", resolved);
        }
        recordPlan(scan, run);
    }

    /** For a preview: the conflicts, mass deletions and constraint violations, in the metrics only. */
    void preview(Connection loc, Connection rem, MergeScan scan, RunContext run) throws SQLException, IOException {
        listConflicts(loc, rem, scan, run);
        run.metrics.put("mass_delete", massDeletes(scan));
        run.metrics.put("constraint_violations", violations());
    }

    /** Throws the first refusal that applies; returns when the run may write. */
    void refuse(Connection loc, Connection rem, MergeScan scan, RunContext run) throws SQLException, IOException {
        Map<TablePlan, List<KeyConflict>> conflicts = scan.unresolved();
        if (!conflicts.isEmpty() || !unresolvedNatural.isEmpty()) {
            List<Map<String, Object>> listed = listConflicts(loc, rem, scan, run);
            long total = conflicts.values().stream().mapToLong(List::size).sum() + unresolvedNatural.size();
            java.util.Set<String> names = new java.util.LinkedHashSet<>();
            conflicts.keySet().forEach(t -> names.add(t.name()));
            unresolvedNatural.forEach(d -> names.add(d.collision().table().name()));
            throw new ArchonSyncException(ErrorCode.CONFLICTS, total + " conflict" + (total == 1 ? "" : "s") + " in "
                    + String.join(", ", names) + ": nothing was changed on either database; choose with --on-conflict"
                    + " local|remote|newer", ConflictList.lines(listed), null);
        }
        if (!options.allowMassDelete()) {
            List<String> tables = massDeletes(scan);
            if (!tables.isEmpty()) {
                throw new ArchonSyncException(ErrorCode.REFUSED, "refused: the merge would delete more than half of the rows of "
                        + String.join(", ", tables) + "; nothing was changed (a wiped database looks like this). If the"
                        + " deletions are wanted, run again with --allow-mass-delete", tables, null);
            }
        }
        List<String> violations = violations();
        if (!violations.isEmpty()) {
            run.metrics.put("constraint_violations", violations);
            throw new ArchonSyncException(ErrorCode.REFUSED, "refused: the merged result would break " + violations.size()
                    + " UNIQUE or foreign key constraint" + (violations.size() == 1 ? "" : "s") + " (checked before writing);"
                    + " nothing was changed on either database: " + violations.get(0), violations, null);
        }
    }

    /** What the last check found that no resolution removes: collisions left and rows whose parent is missing. */
    private List<String> violations() {
        List<String> out = new ArrayList<>();
        java.util.Set<String> open = unresolvedNatural.stream().map(d -> d.collision().id()).collect(Collectors.toSet());
        for (MergeCheck.Collision c : check.collisions()) {
            if (!open.contains(c.id())) {
                out.add(c.table().name() + ": two rows would hold " + NaturalKeys.naturalKey(c) + " (unique " + c.constraint()
                        + "): local " + ConflictList.key(c.table().source().key(), c.local()) + ", remote "
                        + ConflictList.key(c.table().source().key(), c.remote()));
            }
        }
        out.addAll(check.orphans());
        return out;
    }

    private static boolean withoutUpdatedAt(TablePlan t) {
        return t.source().column("updated_at") == null || t.target().column("updated_at") == null;
    }

    /** Resolves what updated_at decides; returns the tables it cannot decide for (no such column). */
    private static List<String> resolveByUpdatedAt(Connection loc, Connection rem, MergeScan scan) throws SQLException, IOException {
        List<String> fallback = new ArrayList<>();
        for (Map.Entry<TablePlan, List<KeyConflict>> e : scan.unresolved().entrySet()) {
            TablePlan t = e.getKey();
            if (withoutUpdatedAt(t)) {
                fallback.add(t.name());
                continue;
            }
            var keys = e.getValue().stream().map(KeyConflict::key).toList();
            Map<String, Instant> l = ConflictRows.updatedAt(loc, scan.entry(t).keyed, keys);
            Map<String, Instant> r = ConflictRows.updatedAt(rem, scan.entry(t).keyed, keys);
            List<Resolution> resolved = new ArrayList<>();
            for (KeyConflict c : e.getValue()) {
                Optional<Side> winner = ConflictPolicy.newer(c, l.get(c.key().keyLine()), r.get(c.key().keyLine()));
                winner.ifPresent(w -> resolved.add(new Resolution(c, w)));
            }
            scan.resolve(t, resolved);
        }
        return fallback;
    }

    private static void recordPlan(MergeScan scan, RunContext run) {
        Map<String, Object> merge = new LinkedHashMap<>();
        for (MergeScan.Entry e : scan.entries()) {
            TableMerge m = e.merge;
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("base", m.hasBase() ? e.baseSyncId : null);
            t.put("base_rows", m.baseRows());
            t.put("in_sync", m.inSync());
            t.put("to_local", m.toLocal());
            t.put("to_remote", m.toRemote());
            t.put("conflicts_resolved", m.resolved().size());
            t.put("conflicts_unresolved", m.unresolved().size());
            merge.put(e.plan.name(), t);
        }
        run.metrics.put("merge", merge);
    }

    private List<Map<String, Object>> listConflicts(Connection loc, Connection rem, MergeScan scan, RunContext run)
            throws SQLException, IOException {
        Map<TablePlan, List<KeyConflict>> conflicts = scan.unresolved();
        long total = conflicts.values().stream().mapToLong(List::size).sum() + unresolvedNatural.size();
        List<Map<String, Object>> listed = new ArrayList<>(conflicts.isEmpty() ? List.of()
                : ConflictList.describe(loc, rem, conflicts, scan));
        if (listed.size() < ConflictList.MAX_LISTED && !unresolvedNatural.isEmpty()) {
            listed.addAll(NaturalKeys.describe(loc, rem, scan, unresolvedNatural.subList(0,
                    Math.min(unresolvedNatural.size(), ConflictList.MAX_LISTED - listed.size()))));
        }
        run.metrics.put("conflicts", listed);
        run.metrics.put("conflict_count", total);
        return listed;
    }

    private static List<String> massDeletes(MergeScan scan) {
        List<String> tables = new ArrayList<>();
        for (MergeScan.Entry e : scan.entries()) {
            if (e.merge.massDelete()) {
                tables.add(e.plan.name() + " (" + e.merge.inferredDeletes() + " of " + e.merge.baseRows() + " base rows: "
                        + e.merge.toLocal().deletes() + " on local, " + e.merge.toRemote().deletes() + " on remote)");
            }
        }
        return tables;
    }
}
