package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.db.AdvisoryLock;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.LinkFailures;
import dev.archon.sync.db.SessionSettings;
import dev.archon.sync.db.Sql;
import dev.archon.sync.schema.CatalogReader;
import dev.archon.sync.schema.ForeignKey;
import dev.archon.sync.schema.TableInfo;
import dev.archon.sync.schema.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The validation phase: checks both databases and produces the per-table plan. Reads only; a
 * refusal changes nothing. Thread-safe (holds no state between calls).
 */
final class Validator {
    /** Supabase's transaction pooler: no session state, no prepared statements, no COPY across statements. */
    static final int SUPABASE_TRANSACTION_POOLER_PORT = 6543;
    /** How long validation may wait for any lock (reading definitions of an exclusively locked table waits). */
    static final int LOCK_WAIT_SECONDS = 10;
    static final String LOCK_WAIT = "SET lock_timeout = '" + LOCK_WAIT_SECONDS + "s'";
    private static final Set<String> SECRET_COLUMNS = Set.of("encrypted_value", "api_key", "secret", "token", "password");

    private Validator() {
    }

    static Preflight validate(Database source, Database target, SyncRequest request, boolean checkRunning) {
        List<CheckResult> checks = new ArrayList<>();
        refusePooler(source);
        refusePooler(target);
        long t0 = System.nanoTime();
        try (Connection s = source.open("archon-sync validation")) {
            long sourceMs = (System.nanoTime() - t0) / 1_000_000;
            long t1 = System.nanoTime();
            try (Connection t = target.open("archon-sync validation")) {
                long targetMs = (System.nanoTime() - t1) / 1_000_000;
                SessionSettings.apply(s);
                SessionSettings.apply(t);
                Sql.execute(s, LOCK_WAIT);
                Sql.execute(t, LOCK_WAIT);
                return validate(source, target, s, t, request, checks, sourceMs, targetMs, checkRunning);
            }
        } catch (SQLException e) {
            if (LinkFailures.silentLink(e) != null) {
                throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, LinkFailures.silentLink(e).getMessage()
                        + " during validation; nothing was changed", e);
            }
            if ("55P03".equals(e.getSQLState())) {
                throw new ArchonSyncException(ErrorCode.REFUSED, "validation could not read the tables' definitions within "
                        + LOCK_WAIT_SECONDS + " s: another session holds an exclusive lock on one of them (a migration, VACUUM"
                        + " FULL?); try again when it is done", e);
            }
            throw ArchonSyncException.database(ErrorCode.CONNECTION_FAILED, "validation could not read the databases", e);
        }
    }

    private static void refusePooler(Database db) {
        if (db.config().port() == SUPABASE_TRANSACTION_POOLER_PORT) {
            throw new ArchonSyncException(ErrorCode.REFUSED, "the " + db.label() + " database URI (" + db.config().source()
                    + ") uses port 6543, Supabase's transaction pooler, which breaks COPY, prepared statements and"
                    + " session locks: use the direct connection (db.<project>.supabase.co:5432) or the session pooler"
                    + " (port 5432)");
        }
    }

    private static Preflight validate(Database source, Database target, Connection s, Connection t, SyncRequest request,
                                      List<CheckResult> checks, long sourceMs, long targetMs,
                                      boolean checkRunning) throws SQLException {
        String sv = SessionSettings.version(s);
        String tv = SessionSettings.version(t);
        boolean sameMajor = SessionSettings.majorVersion(s) == SessionSettings.majorVersion(t);
        checks.add(CheckResult.ok("database_connectivity", source.label() + " PostgreSQL " + sv + " (connected in " + sourceMs
                + " ms), " + target.label() + " PostgreSQL " + tv + " (connected in " + targetMs + " ms)"));
        List<String> missingHistory = new ArrayList<>();
        for (Database db : List.of(source, target)) {
            Connection c = db == source ? s : t;
            if (!Sql.queryBoolean(c, "SELECT to_regclass('public.archon_sync_history') IS NOT NULL")) {
                missingHistory.add(db.label());
            }
        }
        checks.add(missingHistory.isEmpty() ? CheckResult.ok("history_table", "archon_sync_history present on both")
                : CheckResult.error("history_table", "archon_sync_history is missing on the " + String.join(" and ", missingHistory)
                + " database: run archon-sync migrate", List.of()));
        List<String> busy = new ArrayList<>();
        for (Connection c : checkRunning ? List.of(s, t) : List.<Connection>of()) {
            if (AdvisoryLock.held(c)) {
                String running = Sql.queryBoolean(c, "SELECT to_regclass('public.archon_sync_history') IS NOT NULL")
                        ? Sql.queryString(c, "SELECT sync_id FROM public.archon_sync_history WHERE status = 'running'"
                        + " ORDER BY started_at DESC LIMIT 1") : null;
                busy.add((running == null ? "a sync" : "sync " + running) + " is running on the "
                        + (c == s ? source : target).label() + " database");
            }
        }
        if (!busy.isEmpty()) {
            // Answer at once: the running sync holds the tables' locks, so counting their rows would wait for it.
            checks.add(CheckResult.error("sync_running", String.join("; ", busy) + ": wait for it to finish", List.of()));
            return new Preflight(request.direction(), sv, tv, checks, List.of());
        }
        checks.add(CheckResult.ok("sync_running", "no other sync is running"));

        Map<TableName, TableInfo> sourceCatalog = CatalogReader.read(s, TableSelector.SCHEMA);
        Map<TableName, TableInfo> targetCatalog = CatalogReader.read(t, TableSelector.SCHEMA);
        List<TableName> selected = TableSelector.select(sourceCatalog.keySet(), request.tables(), request.exclude());
        if (selected.isEmpty()) {
            checks.add(CheckResult.error("table_selection", "no table to sync: the source has no archon_* table"
                    + " (or --exclude removed them all)", List.of()));
            return new Preflight(request.direction(), sv, tv, checks, List.of());
        }
        List<TableInfo> sourceTables = LoadOrder.sort(selected.stream().map(sourceCatalog::get).toList());
        checks.add(CheckResult.ok("table_selection", selected.size() + " tables"));
        if (!checkAccess(s, t, sourceTables, targetCatalog, source, target, checks)) {
            return new Preflight(request.direction(), sv, tv, checks, List.of());
        }
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        SchemaCompatibility.compare(sourceTables, targetCatalog, errors, warnings);
        checkTypes(s, t, sourceTables, errors);
        checks.add(errors.isEmpty() ? CheckResult.ok("schema_compatibility", "every table and column exists on the target"
                + " with the same type") : CheckResult.error("schema_compatibility", errors.size() + " incompatibilit"
                + (errors.size() == 1 ? "y" : "ies") + " between source and target", errors));
        if (!warnings.isEmpty()) {
            checks.add(CheckResult.warning("schema_differences", warnings.size() + " difference(s) that do not stop the sync",
                    warnings));
        }
        checks.add(cascade(sourceTables, targetCatalog));
        CheckResult outside = referencesOutside(sourceTables);
        if (outside != null) {
            checks.add(outside);
        }
        checks.add(MigrationDrift.compare(s, t, source.label(), target.label()));

        List<TablePlan> plans = new ArrayList<>();
        List<String> locked = new ArrayList<>();
        Map<TableName, Long> sourceCounts = RowCounts.count(s, sourceTables, source.label(), locked);
        Map<TableName, Long> targetCounts = RowCounts.count(t, sourceTables.stream().map(st -> targetCatalog.get(st.name()))
                .filter(Objects::nonNull).toList(), target.label(), locked);
        for (TableInfo st : sourceTables) {
            TableInfo tt = targetCatalog.get(st.name());
            long sourceRows = sourceCounts.get(st.name());
            long targetRows = tt == null ? 0 : targetCounts.get(tt.name());
            boolean binary = sameMajor && tt != null && st.copiedColumns().stream().allMatch(c -> c.binaryOk()
                    && tt.column(c.name()) != null && tt.column(c.name()).binaryOk());
            plans.add(new TablePlan(st, tt, sourceRows, targetRows, st.bytes(), binary, sensitive(st)));
        }
        if (!locked.isEmpty()) {
            checks.add(CheckResult.warning("locked_tables", locked.size() + " table(s) locked by another session: their rows"
                    + " are estimated, and the sync will wait for the locks (up to --lock-timeout)", locked));
        }
        if (request.backup()) {
            checks.add(BackupDirCheck.check(request.backupDir(), plans));
        }
        return new Preflight(request.direction(), sv, tv, checks, plans);
    }

    /** Ownership, RLS and privileges; false when the roles cannot do the sync (rows are then not counted). */
    private static boolean checkAccess(Connection s, Connection t, List<TableInfo> tables, Map<TableName, TableInfo> targetCatalog,
                                       Database source, Database target, List<CheckResult> checks) throws SQLException {
        List<String> problems = new ArrayList<>();
        Set<TableName> readable = privileged(s, tables, "SELECT");
        Set<TableName> writable = privileged(t, tables.stream().map(st -> targetCatalog.get(st.name()))
                .filter(Objects::nonNull).toList(), "SELECT, INSERT, TRUNCATE");
        for (TableInfo st : tables) {
            if (!readable.contains(st.name())) {
                problems.add("on the " + source.label() + " database, the connecting role may not read " + st.name()
                        + " (no SELECT privilege): GRANT SELECT ON " + st.name().quoted() + " TO the role, or connect as its owner");
            } else if (!st.rlsBypassed()) {
                problems.add("on the " + source.label() + " database, row level security filters what the connecting role"
                        + " reads from " + st.name() + ": connect as the table owner or a role with BYPASSRLS");
            }
            TableInfo tt = targetCatalog.get(st.name());
            if (tt != null && !tt.owned()) {
                problems.add("on the " + target.label() + " database, the connecting role does not own " + tt.name()
                        + ": connect as its owner (on Supabase, the postgres role)");
            } else if (tt != null && !writable.contains(tt.name())) {
                problems.add("on the " + target.label() + " database, the connecting role lacks SELECT, INSERT or TRUNCATE on "
                        + tt.name() + ": GRANT them to the role");
            }
        }
        checks.add(problems.isEmpty() ? CheckResult.ok("permissions", "the connecting roles own (or bypass RLS on) every table")
                : CheckResult.error("permissions", problems.get(0), problems));
        return problems.isEmpty();
    }

    /** Those of {@code tables} the connecting role holds {@code privileges} on, asked in one statement. */
    private static Set<TableName> privileged(Connection c, List<TableInfo> tables, String privileges) throws SQLException {
        Set<TableName> granted = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT i, has_table_privilege(n::regclass, ?) FROM"
                + " unnest(?::text[]) WITH ORDINALITY AS u(n, i)")) {
            ps.setString(1, privileges);
            ps.setArray(2, c.createArrayOf("text", tables.stream().map(t -> t.name().quoted()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(2)) {
                        granted.add(tables.get(rs.getInt(1) - 1).name());
                    }
                }
            }
        }
        return granted;
    }

    private static void checkTypes(Connection s, Connection t, List<TableInfo> tables, List<String> errors) throws SQLException {
        for (String ext : CatalogReader.extensionsUsed(s, tables)) {
            if (!Sql.queryBoolean(t, "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = ?)", ext)) {
                errors.add("extension " + ext + " is used by the synced columns but missing on the target:"
                        + " CREATE EXTENSION " + ext + " there (on Supabase: in the extensions schema)");
            }
        }
        Map<String, List<String>> enums = CatalogReader.enumsUsed(s, tables);
        Map<String, List<String>> onTarget = CatalogReader.enumLabels(t, new ArrayList<>(enums.keySet()));
        enums.forEach((type, labels) -> {
            List<String> have = onTarget.get(type);
            if (have == null) {
                errors.add("enum type " + type + " is missing on the target: CREATE TYPE " + type + " AS ENUM (...)");
            } else if (!have.containsAll(labels)) {
                List<String> missing = new ArrayList<>(labels);
                missing.removeAll(have);
                errors.add("enum type " + type + " lacks the value(s) " + missing + " on the target: ALTER TYPE " + type
                        + " ADD VALUE ...");
            }
        });
    }

    /** Tables outside the set whose rows would be deleted by cascade (or block the emptying). */
    private static CheckResult cascade(List<TableInfo> tables, Map<TableName, TableInfo> targetCatalog) {
        Set<TableName> set = new TreeSet<>();
        tables.forEach(t -> set.add(t.name()));
        Set<String> problems = new TreeSet<>();
        for (TableInfo t : targetCatalog.values()) {
            List<ForeignKey> fks = new ArrayList<>(t.foreignKeys());
            fks.addAll(t.referencedBy());
            for (ForeignKey fk : fks) {
                if (set.contains(fk.referenced()) && !set.contains(fk.table())) {
                    problems.add(fk.table() + " references " + fk.referenced() + " (" + fk.name() + (fk.cascades()
                            ? ", ON DELETE " + (fk.onDelete() == 'c' ? "CASCADE" : "SET NULL/DEFAULT") : "")
                            + "): emptying " + fk.referenced() + " would change or block it; add it with --tables "
                            + fk.table().name() + " (or leave " + fk.referenced().name() + " out with --exclude)");
                }
            }
        }
        return problems.isEmpty() ? CheckResult.ok("cascade", "no table outside the set depends on the synced tables")
                : CheckResult.error("cascade", problems.size() + " table(s) outside the set depend on synced tables on the target",
                new ArrayList<>(problems));
    }

    /** A warning when synced tables reference tables that are not synced. */
    private static CheckResult referencesOutside(List<TableInfo> tables) {
        Set<TableName> set = new TreeSet<>();
        tables.forEach(t -> set.add(t.name()));
        Set<String> lines = new TreeSet<>();
        for (TableInfo t : tables) {
            for (ForeignKey fk : t.foreignKeys()) {
                if (!set.contains(fk.referenced())) {
                    lines.add(t.name() + " references " + fk.referenced() + ", which is not synced: the target must already"
                            + " hold every referenced row");
                }
            }
        }
        return lines.isEmpty() ? null : CheckResult.warning("references_outside_set", lines.size()
                + " reference(s) to tables that are not synced", new ArrayList<>(lines));
    }

    private static boolean sensitive(TableInfo t) {
        return t.name().name().equals("archon_settings")
                || t.columns().stream().anyMatch(c -> SECRET_COLUMNS.contains(c.name().toLowerCase()));
    }
}
