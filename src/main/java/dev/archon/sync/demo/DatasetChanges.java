package dev.archon.sync.demo;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The edits of {@link ArchonDataset#change}: what a user's Archon does to a database between two
 * syncs, on a fraction of the rows. Re-crawled chunks: some updated in place (new content,
 * metadata and embedding), some deleted and re-inserted under new ids with the same natural key
 * {@code (url, chunk_number)} (as Archon's re-crawl does), some deleted; new chunks and code
 * examples of new pages; page metadata refreshed; task edits (the updated_at trigger fires) with
 * their history rows; a setting, a project document and a new document version.
 *
 * <p>With a partition of 0 or 1, only rows whose key hashes to that parity are touched and new
 * rows get keys the other partition never makes, so the two partitions' edits never meet: the
 * two sides of a bidirectional sync without conflicts. Everything is chosen from the seed and the
 * content, so the same call on the same content makes the same choices.
 */
final class DatasetChanges {
    /** Added to the bigserial sequences of partition 1, so that its new ids never meet partition 0's. */
    static final long PARTITION_ID_OFFSET = 1_000_000_000L;
    private static final String[] STATUSES = {"todo", "doing", "review", "done"};

    private final Connection c;
    private final long seed;
    private final int partition;
    private final Fake f;
    private int touched;

    DatasetChanges(Connection c, long seed, int partition) {
        this.c = c;
        this.seed = seed;
        this.partition = partition;
        this.f = new Fake(seed, 98 + partition);
    }

    /** Changes about {@code fraction} of every table's rows in one transaction; returns the rows written or deleted. */
    int apply(double fraction) {
        try {
            Sql.inTransaction(c, () -> {
                if (partition == 1) {
                    for (String t : List.of("archon_crawled_pages", "archon_code_examples")) {
                        Sql.queryString(c, "SELECT setval(pg_get_serial_sequence(?, 'id'), (SELECT coalesce(max(id), 0) FROM "
                                + t + ") + " + PARTITION_ID_OFFSET + ")::text", t);
                    }
                }
                chunks("archon_crawled_pages", fraction);
                chunks("archon_code_examples", fraction);
                pageMetadata(fraction);
                tasks(fraction);
                workspace();
            });
        } catch (SQLException e) {
            throw ArchonSyncException.database(ErrorCode.TRANSFER_FAILED, "could not change the Archon tables", e);
        }
        return touched;
    }

    private String mine(String key) {
        return partition < 0 ? "true" : "(hashtext(" + key + "::text) & 1) = " + partition;
    }

    private List<String> pick(String table, String key, double fraction) throws SQLException {
        long rows = Sql.queryLong(c, "SELECT count(*) FROM " + table);
        long n = Math.max(1, Math.round(rows * fraction));
        return Sql.queryStrings(c, "SELECT " + key + "::text FROM " + table + " WHERE " + mine(key)
                + " ORDER BY md5(" + key + "::text || ?), " + key + " LIMIT ?", String.valueOf(seed), n);
    }

    /** 40% updated in place, 30% re-inserted under a new id with the same (url, chunk_number), 15% deleted, 15% new. */
    private void chunks(String table, double fraction) throws SQLException {
        boolean code = table.equals("archon_code_examples");
        List<String> ids = pick(table, "id", fraction);
        int updates = ids.size() * 40 / 100;
        int reinserts = ids.size() * 30 / 100;
        int inserts = ids.size() * 15 / 100;
        String setContent = code ? "content = ?, summary = ?" : "content = ?, metadata = metadata || jsonb_build_object('recrawled', ?)";
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET " + setContent
                + ", embedding_1536 = ? WHERE id = ?::bigint")) {
            for (String id : ids.subList(0, updates)) {
                ps.setString(1, content(code));
                ps.setString(2, code ? f.sentence(10) : "seed-" + seed);
                ps.setArray(3, c.createArrayOf("float4", f.embeddingValues(KnowledgeTables.EMBEDDING_DIMS)));
                ps.setString(4, id);
                ps.addBatch();
            }
            touched += ps.executeBatch().length;
        }
        String columns = code ? "url, chunk_number, content, summary, metadata, source_id, embedding_1536, embedding_model, embedding_dimension, llm_chat_model, created_at"
                : "url, chunk_number, content, metadata, source_id, page_id, embedding_1536, embedding_model, embedding_dimension, llm_chat_model, created_at";
        List<String> again = ids.subList(updates, updates + reinserts);
        String temp = "recrawl_" + (code ? "code" : "pages");
        Sql.execute(c, "CREATE TEMP TABLE " + temp + " ON COMMIT DROP AS SELECT " + columns + " FROM " + table + " WHERE false");
        Sql.update(c, "INSERT INTO " + temp + " SELECT " + columns + " FROM " + table + " WHERE id = ANY (?::bigint[])",
                c.createArrayOf("text", again.toArray()));
        touched += Sql.update(c, "DELETE FROM " + table + " WHERE id = ANY (?::bigint[])",
                c.createArrayOf("text", ids.subList(updates, ids.size() - inserts).toArray()));
        touched += Sql.update(c, "INSERT INTO " + table + " (" + columns + ") SELECT " + columns.replace("content,",
                "content || ' (re-crawled)',") + " FROM " + temp + " ORDER BY url, chunk_number");
        String source = Sql.queryString(c, "SELECT source_id FROM archon_sources ORDER BY source_id LIMIT 1");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (url, chunk_number, content, "
                + (code ? "summary, " : "") + "metadata, source_id, embedding_1536, embedding_model, embedding_dimension)"
                + " VALUES (?, ?, ?, " + (code ? "?, " : "") + "'{}'::jsonb, ?, ?, 'text-embedding-3-small', ?)")) {
            for (int i = 0; i < inserts; i++) {
                int k = 1;
                ps.setString(k++, "https://docs.example-new.dev/seed-" + seed + "-p" + partition + "/page-" + i / 4);
                ps.setInt(k++, i % 4);
                ps.setString(k++, content(code));
                if (code) {
                    ps.setString(k++, f.sentence(10));
                }
                ps.setString(k++, source);
                ps.setArray(k++, c.createArrayOf("float4", f.embeddingValues(KnowledgeTables.EMBEDDING_DIMS)));
                ps.setInt(k, KnowledgeTables.EMBEDDING_DIMS);
                ps.addBatch();
            }
            touched += ps.executeBatch().length;
        }
    }

    private String content(boolean code) {
        if (code) {
            return KnowledgeTables.codeSnippet(f, f.chance(0.5) ? "python" : "sql");
        }
        StringBuilder sb = new StringBuilder();
        f.prose(sb, 1_500, 4_000);
        return sb.toString();
    }

    private void pageMetadata(double fraction) throws SQLException {
        for (String id : pick("archon_page_metadata", "id", fraction)) {
            StringBuilder sb = new StringBuilder();
            f.prose(sb, 4_000, 16_000);
            touched += Sql.update(c, "UPDATE archon_page_metadata SET full_content = ?, char_count = ?, updated_at = now()"
                    + " WHERE id = ?::uuid", sb.toString(), sb.length(), id);
        }
    }

    /** Status and title edits (the updated_at trigger fires), each with a history row. */
    private void tasks(double fraction) throws SQLException {
        for (String id : pick("archon_tasks", "id", Math.max(fraction, 0.02))) {
            String status = f.pick(STATUSES);
            touched += Sql.update(c, "UPDATE archon_tasks SET status = ?::task_status, title = ? WHERE id = ?::uuid",
                    status, f.sentence(f.between(3, 7)) + " (edited)", id);
            touched += Sql.update(c, "INSERT INTO archon_task_history (id, task_id, field_name, new_value, changed_by)"
                    + " VALUES (?::uuid, ?::uuid, 'status', ?, 'User')", f.uuid(), id, status);
        }
    }

    /** One setting, one project's documents and a new version of them. */
    private void workspace() throws SQLException {
        for (String id : pick("archon_settings", "id", 0)) {
            touched += Sql.update(c, "UPDATE archon_settings SET value = ? WHERE id = ?::uuid", f.word(), id);
        }
        for (String id : pick("archon_projects", "id", 0)) {
            String docs = Json.array().add(Json.object().put("id", f.uuid()).put("title", f.sentence(3))).toString();
            touched += Sql.update(c, "UPDATE archon_projects SET docs = ?::jsonb WHERE id = ?::uuid", docs, id);
            touched += Sql.update(c, "INSERT INTO archon_document_versions (id, project_id, field_name, version_number, content,"
                    + " change_type, created_by) VALUES (?::uuid, ?::uuid, 'docs', 1000 + ?, ?::jsonb, 'update', 'User')",
                    f.uuid(), id, 2 * (int) (seed % 100_000) + Math.max(partition, 0), docs);
        }
    }
}
