package dev.archon.sync.demo;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.db.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * An Archon-shaped database for the demo, the tests and the benchmark: {@link #createSchema}
 * creates the tables of {@code archon/schema.sql}, {@link #generate} fills them with
 * deterministic pseudo-random rows streamed through COPY (same seed and scale, same content,
 * bit for bit), {@link #mutate} changes a few rows the way a user would.
 *
 * <p>Every method uses the connection it is given and never closes it; errors become
 * {@link ArchonSyncException}s. Stateless and thread-safe (a connection is not).
 */
public final class ArchonDataset {
    /** The seed of {@link #generate(Connection, Scale)}. */
    public static final long DEFAULT_SEED = 20_250_101L;
    static final String SCHEMA_RESOURCE = "/archon/schema.sql";

    private ArchonDataset() {
    }

    /** Runs {@code archon/schema.sql}: extensions, enum types, tables, indexes, triggers. */
    public static void createSchema(Connection c) {
        try {
            Sql.execute(c, schemaSql());
        } catch (SQLException e) {
            throw ArchonSyncException.database(ErrorCode.TRANSFER_FAILED, "could not create the Archon schema", e);
        }
    }

    /** The text of {@code archon/schema.sql}. */
    public static String schemaSql() {
        try (InputStream in = ArchonDataset.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + SCHEMA_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #generate(Connection, Scale, long)} with {@link #DEFAULT_SEED}. */
    public static DatasetStats generate(Connection c, Scale scale) {
        return generate(c, scale, DEFAULT_SEED);
    }

    /**
     * Fills the (empty) tables of {@link #createSchema} in one transaction, then ANALYZEs them.
     * Rows are generated while COPY reads them, so memory stays bounded at any scale. On failure
     * the transaction is rolled back and nothing is left behind. The connection's autocommit
     * setting is restored.
     */
    public static DatasetStats generate(Connection c, Scale scale, long seed) {
        long started = System.nanoTime();
        Map<String, Long> rows = new LinkedHashMap<>();
        String table = "the Archon tables";
        try {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                for (TableLoad load : loads(scale, seed)) {
                    table = load.table();
                    try (RowReader reader = new RowReader(load.rows())) {
                        rows.put(load.table(), copy.copyIn(load.copySql(), reader));
                    }
                }
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
            table = "the Archon tables (ANALYZE)";
            Sql.execute(c, "ANALYZE " + String.join(", ", rows.keySet()));
        } catch (SQLException e) {
            throw ArchonSyncException.database(ErrorCode.TRANSFER_FAILED, "could not generate " + table, e);
        } catch (IOException e) {
            throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, "could not generate " + table + ": " + e.getMessage(), e);
        }
        return new DatasetStats(rows, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Changes about {@code changes} rows the way a user would, in one transaction: edits the
     * status and title of some tasks (their updated_at trigger fires), deletes some crawled pages
     * and inserts new code examples. The same seed on the same content makes the same choices.
     */
    public static void mutate(Connection c, long seed, int changes) {
        new DatasetMutator(c, seed).apply(changes);
    }

    /**
     * Changes about {@code fraction} of the rows the way Archon does between two syncs (see
     * {@link DatasetChanges}): re-crawled chunks with new embeddings, chunks re-inserted under new
     * ids with the same (url, chunk_number), deletions, new chunks, task and settings edits.
     *
     * @param partition -1 for any row; 0 or 1 to touch only the rows of that half and make new
     *                  keys the other half never makes (two sides edited without conflicts)
     * @return the rows written or deleted
     */
    public static int change(Connection c, long seed, double fraction, int partition) {
        if (partition < -1 || partition > 1) {
            throw new IllegalArgumentException("partition must be -1, 0 or 1, got " + partition);
        }
        return new DatasetChanges(c, seed, partition).apply(fraction);
    }

    /** The COPYs of a generation, in foreign-key order. */
    static List<TableLoad> loads(Scale scale, long seed) {
        KnowledgeTables knowledge = new KnowledgeTables(scale, seed);
        WorkspaceTables workspace = new WorkspaceTables(scale, seed, knowledge.sourceIds());
        List<TableLoad> first = workspace.firstGroup();
        List<TableLoad> loads = new ArrayList<>();
        loads.add(first.get(0));
        loads.addAll(knowledge.firstGroup());
        loads.addAll(first.subList(1, first.size()));
        loads.addAll(knowledge.secondGroup());
        loads.addAll(workspace.secondGroup());
        loads.addAll(knowledge.thirdGroup());
        loads.addAll(workspace.thirdGroup());
        return loads;
    }
}
