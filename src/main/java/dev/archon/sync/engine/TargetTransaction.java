package dev.archon.sync.engine;

import dev.archon.sync.db.Sql;
import dev.archon.sync.schema.ForeignKey;
import dev.archon.sync.schema.SecondaryIndex;
import dev.archon.sync.schema.TableInfo;
import dev.archon.sync.schema.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The target side of a run: ONE transaction on ONE connection in which the synced tables are
 * locked, emptied and reloaded, secondary indexes and the foreign keys among the synced tables are
 * dropped before the load and re-created after it, and user triggers are disabled while loading.
 * Everything here is transactional DDL/DML: a rollback (or a dropped connection) restores the
 * target exactly, and no superuser right is needed, only ownership of the tables.
 */
final class TargetTransaction {
    /** Below this many rows, a table keeps its indexes during the load (rebuilding costs more). */
    static final long INDEX_REBUILD_MIN_ROWS = 1_000;
    static final String MAINTENANCE_WORK_MEM = "512MB";

    private final Connection c;
    private final List<TableInfo> tables;
    private final List<ForeignKey> droppedKeys = new ArrayList<>();
    private final List<SecondaryIndex> droppedIndexes = new ArrayList<>();
    private final List<TableInfo> triggersDisabled = new ArrayList<>();

    TargetTransaction(Connection c, List<TableInfo> tables) {
        this.c = c;
        this.tables = List.copyOf(tables);
    }

    Connection connection() {
        return c;
    }

    /** Starts the transaction and takes ACCESS EXCLUSIVE locks on every synced table. */
    void begin(Duration lockTimeout) throws SQLException {
        c.setAutoCommit(false);
        Sql.execute(c, "SET LOCAL lock_timeout = '" + lockTimeout.toMillis() + "ms'");
        Sql.execute(c, "SET LOCAL maintenance_work_mem = '" + MAINTENANCE_WORK_MEM + "'");
        Sql.execute(c, "LOCK TABLE " + tables.stream().map(t -> t.name().quoted()).collect(Collectors.joining(", "))
                + " IN ACCESS EXCLUSIVE MODE");
        Sql.execute(c, "SET LOCAL lock_timeout = 0");
    }

    /**
     * Drops what would slow the load or depend on load order, disables user triggers, and empties
     * every table in one TRUNCATE (no CASCADE: validation made sure nothing outside depends on them).
     *
     * @param rowsToLoad rows each table will receive, indexed like the tables
     */
    void prepare(List<Long> rowsToLoad) throws SQLException {
        Set<TableName> set = new TreeSet<>();
        tables.forEach(t -> set.add(t.name()));
        for (TableInfo t : tables) {
            for (ForeignKey fk : t.foreignKeys()) {
                if (set.contains(fk.referenced())) {
                    Sql.execute(c, "ALTER TABLE " + t.name().quoted() + " DROP CONSTRAINT " + Sql.ident(fk.name()));
                    droppedKeys.add(fk);
                }
            }
        }
        for (int i = 0; i < tables.size(); i++) {
            TableInfo t = tables.get(i);
            if (rowsToLoad.get(i) >= INDEX_REBUILD_MIN_ROWS) {
                for (SecondaryIndex index : t.indexes()) {
                    Sql.execute(c, "DROP INDEX " + Sql.qualified(t.name().schema(), index.name()));
                    droppedIndexes.add(index);
                }
            }
            if (t.userTriggers()) {
                Sql.execute(c, "ALTER TABLE " + t.name().quoted() + " DISABLE TRIGGER USER");
                triggersDisabled.add(t);
            }
        }
        Sql.execute(c, "TRUNCATE " + tables.stream().map(t -> t.name().quoted()).collect(Collectors.joining(", ")));
    }

    /** Sets a sequence to a value transactionally (setval would survive a rollback; ALTER SEQUENCE does not). */
    void setSequence(String sequence, long lastValue, boolean isCalled) throws SQLException {
        Sql.execute(c, "ALTER SEQUENCE " + sequence + " RESTART WITH " + lastValue);
        if (isCalled) {
            Sql.queryLong(c, "SELECT nextval(" + Sql.literal(sequence) + "::regclass)");
        }
    }

    /** How much of the rebuild there is: indexes plus keys plus trigger tables. */
    int rebuildSteps() {
        return droppedIndexes.size() + droppedKeys.size() + triggersDisabled.size();
    }

    /** Re-creates the dropped indexes and foreign keys and re-enables triggers; calls step after each. */
    void rebuild(Runnable step) throws SQLException {
        for (SecondaryIndex index : droppedIndexes) {
            Sql.execute(c, index.definition());
            step.run();
        }
        for (ForeignKey fk : droppedKeys) {
            Sql.execute(c, "ALTER TABLE " + fk.table().quoted() + " ADD CONSTRAINT " + Sql.ident(fk.name()) + " " + fk.definition());
            step.run();
        }
        for (TableInfo t : triggersDisabled) {
            Sql.execute(c, "ALTER TABLE " + t.name().quoted() + " ENABLE TRIGGER USER");
            step.run();
        }
    }

    int droppedIndexCount() {
        return droppedIndexes.size();
    }

    int droppedKeyCount() {
        return droppedKeys.size();
    }

    /** The transaction id, to find out after a failed COMMIT whether it committed. */
    long transactionId() throws SQLException {
        return Sql.queryLong(c, "SELECT txid_current()");
    }
}
