package dev.archon.sync.schema;

import dev.archon.sync.db.Sql;
import dev.archon.sync.migrate.MigrationOutcome;
import dev.archon.sync.migrate.Migrator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that one database holds archon_sync_history exactly as specified: columns, indexes,
 * trigger, constraints, policies, helper functions, migration registry and archon-sync's
 * hardening. Reads the catalogs only; the helper functions are called inside a transaction that is
 * rolled back.
 */
public final class HistorySchemaVerifier {
    private static final String TABLE_OID = "'public.archon_sync_history'::regclass";

    private final Migrator migrator;

    public HistorySchemaVerifier(Migrator migrator) {
        this.migrator = migrator;
    }

    /** The checklist for the database behind {@code c}, labelled {@code database}. */
    public SchemaReport verify(Connection c, String database) throws SQLException {
        String fix = "run: archon-sync migrate --target " + database;
        List<SchemaCheck> checks = new ArrayList<>();
        boolean present = Sql.queryBoolean(c, "SELECT to_regclass('public.archon_sync_history') IS NOT NULL");
        if (!present) {
            checks.add(new SchemaCheck("table", "missing", List.of("table public.archon_sync_history does not exist"), fix));
        } else {
            checks.add(columns(c, fix));
            checks.add(indexes(c, fix));
            checks.add(trigger(c, fix));
            checks.add(constraints(c, fix));
            checks.add(policies(c, fix));
            checks.add(functions(c, fix));
        }
        checks.add(migrations(c, fix));
        if (present) {
            checks.add(hardening(c, fix));
        }
        return new SchemaReport(database, checks);
    }

    private static SchemaCheck columns(Connection c, String fix) throws SQLException {
        Map<String, String[]> actual = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
                + " pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid"
                + " AND d.adnum = a.attnum WHERE a.attrelid = " + TABLE_OID + " AND a.attnum > 0 AND NOT a.attisdropped");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                actual.put(rs.getString(1), new String[] {rs.getString(2), String.valueOf(rs.getBoolean(3)), rs.getString(4)});
            }
        }
        List<String> problems = new ArrayList<>();
        int good = 0;
        for (HistoryTableSpec.Column col : HistoryTableSpec.COLUMNS) {
            String[] a = actual.get(col.name());
            if (a == null) {
                problems.add("column " + col.name() + " " + col.type() + " is missing");
                continue;
            }
            int before = problems.size();
            if (!a[0].equals(col.type())) {
                problems.add("column " + col.name() + " is " + a[0] + ", expected " + col.type());
            }
            if (Boolean.parseBoolean(a[1]) != col.notNull()) {
                problems.add("column " + col.name() + (col.notNull() ? " must be NOT NULL" : " must allow NULL"));
            }
            if (col.defaultFragment() != null && (a[2] == null || !a[2].contains(col.defaultFragment()))) {
                problems.add("column " + col.name() + " has default " + a[2] + ", expected " + col.defaultFragment());
            }
            good += problems.size() == before ? 1 : 0;
        }
        int expected = HistoryTableSpec.COLUMNS.size();
        return new SchemaCheck("table", "present, " + good + "/" + expected + " columns as specified ("
                + actual.size() + " columns)", problems, problems.isEmpty() ? null : fix);
    }

    private static SchemaCheck indexes(Connection c, String fix) throws SQLException {
        Map<String, String> defs = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT indexname, indexdef FROM pg_indexes"
                + " WHERE schemaname = 'public' AND tablename = 'archon_sync_history'"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                defs.put(rs.getString(1), rs.getString(2));
            }
        }
        List<String> problems = new ArrayList<>();
        for (String name : HistoryTableSpec.INDEXES) {
            if (!defs.containsKey(name)) {
                problems.add("index " + name + " is missing");
            }
        }
        String metadata = defs.get("idx_sync_history_metadata");
        if (metadata != null && !metadata.contains("USING gin")) {
            problems.add("index idx_sync_history_metadata must be a GIN index");
        }
        String status = defs.get("idx_sync_history_status");
        if (status != null && !status.contains("WHERE")) {
            problems.add("index idx_sync_history_status must be partial (WHERE status IN ('running', 'failed'))");
        }
        int found = (int) HistoryTableSpec.INDEXES.stream().filter(defs::containsKey).count();
        return SchemaCheck.of("indexes", found, HistoryTableSpec.INDEXES.size(), problems, fix);
    }

    private static SchemaCheck trigger(Connection c, String fix) throws SQLException {
        // tgtype bits: 1 = ROW, 2 = BEFORE, 16 = UPDATE.
        boolean ok = Sql.queryBoolean(c, "SELECT EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
                + " WHERE t.tgrelid = " + TABLE_OID + " AND t.tgname = ? AND p.proname = ? AND t.tgenabled <> 'D'"
                + " AND t.tgtype & 19 = 19)", HistoryTableSpec.TRIGGER, HistoryTableSpec.TRIGGER_FUNCTION);
        List<String> problems = ok ? List.of() : List.of("trigger " + HistoryTableSpec.TRIGGER
                + " (BEFORE UPDATE FOR EACH ROW calling " + HistoryTableSpec.TRIGGER_FUNCTION + "()) is missing or disabled");
        return SchemaCheck.of("triggers", ok ? 1 : 0, 1, problems, fix);
    }

    private static SchemaCheck constraints(Connection c, String fix) throws SQLException {
        Set<String> found = new HashSet<>(Sql.queryStrings(c, "SELECT contype::text || ':' || conname FROM pg_constraint"
                + " WHERE conrelid = " + TABLE_OID));
        List<String> expected = new ArrayList<>();
        expected.add("p:archon_sync_history_pkey");
        expected.add("u:archon_sync_history_sync_id_key");
        HistoryTableSpec.CHECKS.forEach(n -> expected.add("c:" + n));
        List<String> problems = new ArrayList<>();
        for (String e : expected) {
            if (!found.contains(e)) {
                problems.add("constraint " + e.substring(2) + " is missing");
            }
        }
        long notNull = HistoryTableSpec.COLUMNS.stream().filter(HistoryTableSpec.Column::notNull).count();
        long notNullFound = Sql.queryLong(c, "SELECT count(*) FROM pg_attribute WHERE attrelid = " + TABLE_OID
                + " AND attnotnull AND attname = ANY (?)", c.createArrayOf("text", HistoryTableSpec.COLUMNS.stream()
                .filter(HistoryTableSpec.Column::notNull).map(HistoryTableSpec.Column::name).toArray()));
        if (notNullFound != notNull) {
            problems.add("NOT NULL constraints: " + notNullFound + "/" + notNull + " present");
        }
        int total = expected.size() + (int) notNull;
        int ok = (int) expected.stream().filter(found::contains).count() + (int) notNullFound;
        return SchemaCheck.of("constraints", ok, total, problems, fix);
    }

    private static SchemaCheck policies(Connection c, String fix) throws SQLException {
        List<String> problems = new ArrayList<>();
        if (!Sql.queryBoolean(c, "SELECT relrowsecurity FROM pg_class WHERE oid = " + TABLE_OID)) {
            problems.add("row level security is not enabled on archon_sync_history");
        }
        Map<String, String> policies = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT policyname, cmd || ' TO ' || array_to_string(roles, ',')"
                + " FROM pg_policies WHERE schemaname = 'public' AND tablename = 'archon_sync_history'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                policies.put(rs.getString(1), rs.getString(2));
            }
        }
        checkPolicy(policies, HistoryTableSpec.POLICIES.get(0), "ALL TO service_role", problems);
        checkPolicy(policies, HistoryTableSpec.POLICIES.get(1), "SELECT TO authenticated", problems);
        int found = (int) HistoryTableSpec.POLICIES.stream().filter(policies::containsKey).count();
        return SchemaCheck.of("policies", found, HistoryTableSpec.POLICIES.size(), problems, fix);
    }

    private static void checkPolicy(Map<String, String> policies, String name, String expected, List<String> problems) {
        String actual = policies.get(name);
        if (actual == null) {
            problems.add("policy \"" + name + "\" is missing");
        } else if (!actual.equals(expected)) {
            problems.add("policy \"" + name + "\" is " + actual + ", expected " + expected);
        }
    }

    private static SchemaCheck functions(Connection c, String fix) throws SQLException {
        List<String> problems = new ArrayList<>();
        int ok = 0;
        for (String signature : HistoryTableSpec.FUNCTIONS) {
            if (!Sql.queryBoolean(c, "SELECT to_regprocedure(?) IS NOT NULL", "public." + signature)) {
                problems.add("function " + signature + " is missing");
                continue;
            }
            String call = signature.startsWith("get_latest_sync") ? "SELECT count(*) FROM public.get_latest_sync()"
                    : "SELECT count(*) FROM public.get_sync_stats(7)";
            String error = callable(c, call);
            if (error != null) {
                problems.add("function " + signature + " exists but fails: " + error);
            } else {
                ok++;
            }
        }
        return new SchemaCheck("helper functions", ok + "/" + HistoryTableSpec.FUNCTIONS.size() + " callable",
                problems, problems.isEmpty() ? null : fix);
    }

    /** Calls a function inside a savepoint (or a transaction) that is rolled back; null when it worked. */
    private static String callable(Connection c, String sql) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        Savepoint sp = c.setSavepoint();
        try {
            Sql.queryLong(c, sql);
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        } finally {
            c.rollback(sp);
            c.rollback();
            c.setAutoCommit(auto);
        }
    }

    private SchemaCheck migrations(Connection c, String fix) throws SQLException {
        List<MigrationOutcome> outcomes = migrator.status(c);
        List<String> problems = new ArrayList<>();
        for (MigrationOutcome o : outcomes) {
            if (!o.ok()) {
                problems.add("migration " + o.migration().key() + ": " + o.status().text());
            }
        }
        int ok = (int) outcomes.stream().filter(MigrationOutcome::ok).count();
        boolean drift = outcomes.stream().anyMatch(o -> o.status() == MigrationOutcome.Status.DRIFT);
        String hint = drift ? "the bundled migration text differs from what was applied: compare it with the database and, once"
                + " reconciled, update its checksum in archon_migrations" : fix;
        return new SchemaCheck("migrations registered", ok + "/" + outcomes.size(), problems, problems.isEmpty() ? null : hint);
    }

    private static SchemaCheck hardening(Connection c, String fix) throws SQLException {
        List<String> problems = new ArrayList<>();
        for (String signature : HistoryTableSpec.FUNCTIONS) {
            String fn = "to_regprocedure('public." + signature + "')";
            if (!Sql.queryBoolean(c, "SELECT " + fn + " IS NOT NULL")) {
                continue;
            }
            if (!Sql.queryBoolean(c, "SELECT coalesce(array_to_string(proconfig, ',') LIKE '%search_path=%', false)"
                    + " FROM pg_proc WHERE oid = " + fn)) {
                problems.add(signature + " has no fixed search_path");
            }
            if (Sql.queryBoolean(c, "SELECT EXISTS (SELECT 1 FROM pg_proc p, aclexplode(coalesce(p.proacl,"
                    + " acldefault('f', p.proowner))) a WHERE p.oid = " + fn + " AND a.grantee = 0)")) {
                problems.add("PUBLIC may execute " + signature);
            }
            if (Sql.queryBoolean(c, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon')"
                    + " AND has_function_privilege('anon', " + fn + ", 'EXECUTE')")) {
                problems.add("anon may execute " + signature);
            }
        }
        if (Sql.queryBoolean(c, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon')"
                + " AND has_table_privilege('anon', 'public.archon_sync_history', 'SELECT')")) {
            problems.add("anon may SELECT from archon_sync_history");
        }
        return new SchemaCheck("hardening", problems.isEmpty() ? "applied" : "incomplete", problems,
                problems.isEmpty() ? null : fix);
    }
}
