package dev.archon.sync.delta;

import dev.archon.sync.db.Sql;
import dev.archon.sync.schema.Column;
import dev.archon.sync.schema.TableInfo;
import dev.archon.sync.verify.ContentChecksum;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The SQL that identifies and hashes the rows of one keyed table, the same on every server: the key
 * columns (integers as they are; uuid, text and varchar as they are but ordered with
 * {@code COLLATE "C"}; any other type through its text form), the row's md5 over its copied columns,
 * and the temporary key tables used to select changed rows. Immutable.
 */
public final class KeyedTable {
    private static final Set<Long> INTEGER_TYPES = Set.of(20L, 21L, 23L);
    private static final Set<Long> TEXT_TYPES = Set.of(25L, 1043L, 2950L);

    private final TableInfo table;
    private final boolean binary;
    private final List<Column> key;

    /**
     * @param table  the table; its key must not be empty
     * @param binary hash rows in binary form (both servers share the major version; see ContentChecksum)
     */
    public KeyedTable(TableInfo table, boolean binary) {
        if (table.key().isEmpty()) {
            throw new IllegalArgumentException(table.name() + " has no primary key or unique NOT NULL key");
        }
        this.table = table;
        this.binary = binary;
        this.key = table.key().stream().map(table::column).toList();
    }

    public TableInfo table() {
        return table;
    }

    public List<String> keyColumns() {
        return table.key();
    }

    public KeyOrder order() {
        return new KeyOrder(key.stream().map(c -> INTEGER_TYPES.contains(c.typeOid()) ? KeyKind.INTEGER : KeyKind.BYTES).toList());
    }

    /** The key column's expression as streamed and stored in key tables. */
    String keyExpression(int i, String alias) {
        Column c = key.get(i);
        String ident = (alias == null ? "" : alias + ".") + Sql.ident(c.name());
        return INTEGER_TYPES.contains(c.typeOid()) || TEXT_TYPES.contains(c.typeOid()) ? ident : ident + "::text";
    }

    private String orderExpression(int i) {
        Column c = key.get(i);
        if (INTEGER_TYPES.contains(c.typeOid()) || c.typeOid() == 2950L) {
            return keyExpression(i, null);
        }
        return keyExpression(i, null) + " COLLATE \"C\"";
    }

    private IntStream columns() {
        return IntStream.range(0, key.size());
    }

    /** COPY of every row's key and md5, in key order. */
    public String hashCopySql() {
        return "COPY (SELECT " + columns().mapToObj(i -> keyExpression(i, null)).collect(Collectors.joining(", ")) + ", "
                + ContentChecksum.rowHash(table, binary, null) + " FROM ONLY " + table.name().quoted() + " ORDER BY "
                + columns().mapToObj(this::orderExpression).collect(Collectors.joining(", ")) + ") TO STDOUT";
    }

    /** A temporary table holding keys, dropped at the end of the transaction. */
    public String createKeyTableSql(String keyTable) {
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            cols.add(keyExpression(i, null) + " AS k" + i);
        }
        return "CREATE TEMP TABLE " + Sql.ident(keyTable) + " ON COMMIT DROP AS SELECT " + String.join(", ", cols)
                + " FROM ONLY " + table.name().quoted() + " WITH NO DATA";
    }

    public String copyKeysInSql(String keyTable) {
        return "COPY " + Sql.ident(keyTable) + " FROM STDIN";
    }

    /** The key columns of alias {@code alias} as hash streams carry them ("t.id, t.url"): COPY text equal to a {@link HashedRow}'s. */
    public String keySelect(String alias) {
        return columns().mapToObj(i -> keyExpression(i, alias)).collect(Collectors.joining(", "));
    }

    /** "t.key = k.k0 AND ...": rows of the table (alias t) whose key is in the key table (alias k). */
    public String keyJoin(String tableAlias, String keyAlias) {
        return columns().mapToObj(i -> keyExpression(i, tableAlias) + " = " + keyAlias + ".k" + i)
                .collect(Collectors.joining(" AND "));
    }

    /** "t.key = s.key AND ...": the same key in two relations holding the table's own columns. */
    public String sameKey(String a, String b) {
        return key.stream().map(c -> a + "." + Sql.ident(c.name()) + " = " + b + "." + Sql.ident(c.name()))
                .collect(Collectors.joining(" AND "));
    }
}
