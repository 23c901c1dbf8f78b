package dev.archon.sync.schema;

import java.util.List;

/**
 * What the catalog says about one table. Immutable.
 *
 * @param name         the table
 * @param columns      every column, in attnum order
 * @param foreignKeys  the foreign keys this table declares
 * @param referencedBy foreign keys of tables outside the schema read that point at this table
 * @param indexes      its secondary indexes (backing no constraint)
 * @param sequences    the sequences its columns own
 * @param userTriggers whether it has user (non-internal) triggers
 * @param estimatedRows pg_class.reltuples, at least 0
 * @param bytes        pg_total_relation_size
 * @param owned        whether the connecting role owns it (or is superuser)
 * @param rlsBypassed  whether RLS cannot filter what the connecting role reads (RLS off, owner without FORCE, or BYPASSRLS)
 * @param key          the columns identifying a row: the primary key, else the narrowest unique index on NOT NULL
 *                     columns; empty when the table has neither
 */
public record TableInfo(TableName name, List<Column> columns, List<ForeignKey> foreignKeys, List<ForeignKey> referencedBy,
                        List<SecondaryIndex> indexes,
                        List<SequenceLink> sequences, boolean userTriggers, long estimatedRows, long bytes, boolean owned,
                        boolean rlsBypassed, List<String> key) {
    public TableInfo {
        key = List.copyOf(key);
        columns = List.copyOf(columns);
        foreignKeys = List.copyOf(foreignKeys);
        referencedBy = List.copyOf(referencedBy);
        indexes = List.copyOf(indexes);
        sequences = List.copyOf(sequences);
    }

    /** The columns a COPY carries: all but the stored generated ones. */
    public List<Column> copiedColumns() {
        return columns.stream().filter(c -> !c.generated()).toList();
    }

    public Column column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst().orElse(null);
    }

    /** Collects a table's facts while the catalog queries run. */
    static final class Builder {
        final TableName name;
        final long estimatedRows;
        final long bytes;
        final boolean owned;
        final boolean rlsBypassed;
        final List<Column> columns = new java.util.ArrayList<>();
        final List<ForeignKey> foreignKeys = new java.util.ArrayList<>();
        final List<ForeignKey> referencedBy = new java.util.ArrayList<>();
        final List<SecondaryIndex> indexes = new java.util.ArrayList<>();
        final List<SequenceLink> sequences = new java.util.ArrayList<>();
        boolean userTriggers;
        List<String> key = List.of();

        Builder(TableName name, long estimatedRows, long bytes, boolean owned, boolean rlsBypassed) {
            this.name = name;
            this.estimatedRows = estimatedRows;
            this.bytes = bytes;
            this.owned = owned;
            this.rlsBypassed = rlsBypassed;
        }

        TableInfo build() {
            return new TableInfo(name, columns, foreignKeys, referencedBy, indexes, sequences, userTriggers, estimatedRows,
                    bytes, owned, rlsBypassed, key);
        }
    }
}
