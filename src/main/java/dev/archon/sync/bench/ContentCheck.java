package dev.archon.sync.bench;

import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.db.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The harness's own check that the target holds exactly the source's rows, independent of
 * archon-sync's verification: per table, the row count and an order-independent sum of the md5 of
 * every row's text form (generated columns included), computed on both servers at once. A sum
 * rather than {@code string_agg} keeps it within PostgreSQL's 1 GB value limit at any scale.
 */
final class ContentCheck {
    private static final String DIGEST = "SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 16))::bit(64)::bigint::numeric), 0)::text"
            + " || ':' || coalesce(sum(('x' || substr(md5(t::text), 17, 16))::bit(64)::bigint::numeric), 0)::text FROM public.%s t";

    private ContentCheck() {
    }

    /** Compares the set; returns the differences, one line per differing table (empty when equal). */
    static List<String> differences(DatabaseConfig source, DatabaseConfig target) {
        CompletableFuture<Map<String, String>> s = CompletableFuture.supplyAsync(() -> digests(source));
        Map<String, String> t = digests(target);
        Map<String, String> expected;
        try {
            expected = s.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        List<String> diffs = new ArrayList<>();
        for (String table : BenchTables.LOAD_ORDER) {
            if (!expected.get(table).equals(t.get(table))) {
                diffs.add(table + ": source " + expected.get(table) + ", target " + t.get(table));
            }
        }
        return diffs;
    }

    private static Map<String, String> digests(DatabaseConfig config) {
        Map<String, String> m = new LinkedHashMap<>();
        try (Connection c = new Database(config).open("archon-sync bench check"); Statement st = c.createStatement()) {
            for (String table : BenchTables.LOAD_ORDER) {
                try (ResultSet rs = st.executeQuery(String.format(DIGEST, table))) {
                    rs.next();
                    m.put(table, rs.getLong(1) + " rows, digest " + rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not check the content of " + config.describe() + ": " + e.getMessage(), e);
        }
        return m;
    }
}
