package dev.archon.sync.demo;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.db.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** The edits of {@link ArchonDataset#mutate}: a quarter deletes, a quarter inserts, the rest task updates. */
final class DatasetMutator {
    private static final String[] STATUSES = {"todo", "doing", "review", "done"};

    private final Connection c;
    private final long seed;
    private final Fake f;

    DatasetMutator(Connection c, long seed) {
        this.c = c;
        this.seed = seed;
        this.f = new Fake(seed, 99);
    }

    void apply(int changes) {
        if (changes <= 0) {
            return;
        }
        int deletes = changes / 4;
        int inserts = changes / 4;
        int updates = changes - deletes - inserts;
        try {
            Sql.inTransaction(c, () -> {
                updateTasks(updates);
                deleteCrawledPages(deletes);
                insertCodeExamples(inserts);
            });
        } catch (SQLException e) {
            throw ArchonSyncException.database(ErrorCode.TRANSFER_FAILED, "could not change the Archon tables", e);
        }
    }

    /** Picks tasks by a seeded hash of their id, so the choice is stable for the same content. */
    private void updateTasks(int n) throws SQLException {
        List<String> ids = Sql.queryStrings(c,
                "SELECT id::text FROM archon_tasks ORDER BY md5(id::text || ?), id LIMIT ?", String.valueOf(seed), n);
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE archon_tasks SET status = ?::task_status, title = ? WHERE id = ?::uuid")) {
            for (String id : ids) {
                ps.setString(1, f.pick(STATUSES));
                ps.setString(2, f.sentence(f.between(3, 7)) + " (edited)");
                ps.setString(3, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void deleteCrawledPages(int n) throws SQLException {
        Sql.update(c, "DELETE FROM archon_crawled_pages WHERE id IN "
                + "(SELECT id FROM archon_crawled_pages ORDER BY md5(id::text || ?), id LIMIT ?)", String.valueOf(seed), n);
    }

    private void insertCodeExamples(int n) throws SQLException {
        String source = Sql.queryString(c, "SELECT source_id FROM archon_sources ORDER BY source_id LIMIT 1");
        if (source == null || n == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO archon_code_examples "
                + "(url, chunk_number, content, summary, metadata, source_id, embedding_1536, embedding_model, embedding_dimension) "
                + "VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, 'text-embedding-3-small', ?) ON CONFLICT (url, chunk_number) DO NOTHING")) {
            for (int i = 0; i < n; i++) {
                String language = i % 2 == 0 ? "python" : "sql";
                String code = KnowledgeTables.codeSnippet(f, language);
                Array embedding = c.createArrayOf("float4", f.embeddingValues(KnowledgeTables.EMBEDDING_DIMS));
                ps.setString(1, "https://docs.example-mutated.dev/seed-" + seed + "/example-" + i);
                ps.setInt(2, 0);
                ps.setString(3, code);
                ps.setString(4, f.sentence(10));
                ps.setString(5, Json.object().put("language", language).put("mutated", true).toString());
                ps.setString(6, source);
                ps.setArray(7, embedding);
                ps.setInt(8, KnowledgeTables.EMBEDDING_DIMS);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
