package dev.archon.sync.verify;

import dev.archon.sync.db.Sql;
import dev.archon.sync.schema.Column;
import dev.archon.sync.schema.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.stream.Collectors;

/**
 * An order-independent checksum of a table's content: the row count plus two 64-bit sums of the
 * halves of each row's md5. Equal checksums mean equal multisets of rows (up to a 2^-128-ish
 * collision); one changed value in one row changes it. Generated columns are left out (the target
 * computes them). With {@code binary}, rows are hashed in binary form (record_send: about three
 * times faster than text), which both servers must share (same major version); non-built-in
 * types are hashed by their text form, which {@link dev.archon.sync.db.SessionSettings} fixes.
 */
public final class ContentChecksum {
    private ContentChecksum() {
    }

    /** A computed checksum: "rows:sum1:sum2". */
    public record Value(long rows, String digest) {
        @Override
        public String toString() {
            return digest;
        }
    }

    public static Value compute(Connection c, TableInfo table, boolean binary) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql(table, binary)); ResultSet rs = ps.executeQuery()) {
            rs.next();
            long rows = rs.getLong(1);
            return new Value(rows, rows + ":" + rs.getString(2) + ":" + rs.getString(3));
        }
    }

    /**
     * The checksum of the rows of {@code table} (aliased t) that {@code join} selects, for example
     * {@code "JOIN keys AS k ON t.id = k.k0"}: the content of part of a table.
     */
    public static Value computeOver(Connection c, TableInfo table, boolean binary, String join) throws SQLException {
        String sql = "SELECT count(*), coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text,"
                + " coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text"
                + " FROM (SELECT " + rowHash(table, binary, "t") + " AS h FROM ONLY " + table.name().quoted() + " AS t " + join
                + ") AS rows";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            long rows = rs.getLong(1);
            return new Value(rows, rows + ":" + rs.getString(2) + ":" + rs.getString(3));
        }
    }

    static String sql(TableInfo table, boolean binary) {
        return "SELECT count(*), coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text,"
                + " coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text"
                + " FROM (SELECT " + rowHash(table, binary, null) + " AS h FROM ONLY " + table.name().quoted() + ") AS rows";
    }

    /**
     * The SQL expression of one row's md5 (hex text) as this checksum hashes it, over the copied columns.
     *
     * @param alias the table's alias in the query, or null for none
     */
    public static String rowHash(TableInfo table, boolean binary, String alias) {
        String cols = table.copiedColumns().stream().map(col -> (alias == null ? "" : alias + ".") + expression(col, binary))
                .collect(Collectors.joining(", "));
        return "md5(" + (binary ? "record_send(ROW(" + cols + "))" : "convert_to(ROW(" + cols + ")::text, 'UTF8')") + ")";
    }

    private static String expression(Column col, boolean binary) {
        String ident = Sql.ident(col.name());
        boolean builtIn = col.typeOid() < 16384 && col.binaryOk();
        return binary && !builtIn ? ident + "::text" : ident;
    }
}
