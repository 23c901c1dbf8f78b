package dev.archon.sync.delta;

import dev.archon.sync.db.Sql;
import dev.archon.sync.schema.Column;
import dev.archon.sync.schema.TableInfo;
import dev.archon.sync.verify.ContentChecksum;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
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

    private String orderExpression(int i, String alias) {
        Column c = key.get(i);
        if (INTEGER_TYPES.contains(c.typeOid()) || c.typeOid() == 2950L) {
            return keyExpression(i, alias);
        }
        return keyExpression(i, alias) + " COLLATE \"C\"";
    }

    private IntStream columns() {
        return IntStream.range(0, key.size());
    }

    /** COPY of every row's key fields, md5 and xmin (its row version's transaction id), in key order. */
    public String hashCopySql() {
        return hashCopySql(null);
    }

    /**
     * As {@link #hashCopySql()}, taking a row's md5 from the base rows of {@code pairId} (in this
     * database's {@code public.archon_sync_base}) when the base recorded it for the row version the
     * table holds now (same xmin: nothing has written the row since it was hashed), so only rows
     * written since are read and hashed. {@code pairId} null: every row is hashed.
     */
    public String hashCopySql(String pairId) {
        String xmin = "(t.xmin::text)::bigint";
        String hash = ContentChecksum.rowHash(table, binary, "t");
        String from = "FROM ONLY " + table.name().quoted() + " AS t";
        if (pairId != null) {
            hash = "CASE WHEN b.row_xmin = " + xmin + " THEN b.row_hash ELSE " + hash + " END";
            from += " LEFT JOIN public.archon_sync_base AS b ON b.pair_id = " + Sql.literal(pairId) + " AND b.table_name = "
                    + Sql.literal(table.name().toString()) + " AND b.key_fields = "
                    + columns().mapToObj(i -> "t." + Sql.ident(key.get(i).name()) + "::text")
                    .collect(Collectors.joining(", ", "ARRAY[", "]"));
        }
        return "COPY (SELECT " + keyFields("t") + ", " + hash + ", " + xmin + " " + from + " ORDER BY " + order("t")
                + ") TO STDOUT";
    }

    /** COPY of every row's key fields and xmin, in key order (no row is read beyond its header). */
    public String xminCopySql() {
        return "COPY (SELECT " + keyFields("t") + ", (t.xmin::text)::bigint FROM ONLY " + table.name().quoted() + " AS t ORDER BY "
                + order("t") + ") TO STDOUT";
    }

    /**
     * What the row hashes depend on besides the rows (the columns, their types, the hash form): a
     * hash recorded under another form is never reused.
     */
    public String hashForm() {
        String form = ContentChecksum.rowHash(table, binary, null) + " " + table.copiedColumns().stream().map(Column::type)
                .collect(Collectors.joining(",")) + " " + keyFields(null);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(form.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String keyFields(String alias) {
        return columns().mapToObj(i -> keyExpression(i, alias)).collect(Collectors.joining(", "));
    }

    private String order(String alias) {
        return columns().mapToObj(i -> orderExpression(i, alias)).collect(Collectors.joining(", "));
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
