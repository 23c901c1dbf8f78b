package dev.archon.sync.copy;

import dev.archon.sync.db.LinkFailures;
import dev.archon.sync.db.Sql;
import dev.archon.sync.schema.Column;
import dev.archon.sync.schema.TableInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;

/**
 * Copies one table's rows with COPY: from a source connection straight into a target connection
 * (no intermediate file), from a table into a backup entry, or from a backup entry into a table.
 * Generated columns are never copied. The target side must have been emptied in the current
 * transaction, which allows COPY ... FREEZE.
 */
public final class TableCopier {
    private static final int BUFFER = 1 << 16;

    private TableCopier() {
    }

    /** The column list a COPY names: the copied (non-generated) columns, quoted. */
    public static String columnList(List<String> columns) {
        return columns.stream().map(Sql::ident).collect(Collectors.joining(", "));
    }

    public static List<String> copiedColumns(TableInfo table) {
        return table.copiedColumns().stream().map(Column::name).toList();
    }

    /** COPY ... TO STDOUT of the given columns. */
    public static String copyOutSql(TableInfo table, List<String> columns, boolean binary) {
        return "COPY (SELECT " + columnList(columns) + " FROM ONLY " + table.name().quoted() + ") TO STDOUT"
                + (binary ? " (FORMAT binary)" : "");
    }

    /** COPY ... FROM STDIN into the given columns, with FREEZE (the table was emptied in this transaction). */
    public static String copyInSql(TableInfo table, List<String> columns, boolean binary) {
        return "COPY " + table.name().quoted() + " (" + columnList(columns) + ") FROM STDIN WITH ("
                + (binary ? "FORMAT binary, " : "") + "FREEZE)";
    }

    /**
     * Streams the source table into the target table.
     *
     * @return rows loaded, as the target's COPY reports them
     */
    public static long copy(Connection source, Connection target, TableInfo table, boolean binary, AtomicLong bytes)
            throws SQLException, IOException {
        return copy(source, target, table, binary, bytes, null);
    }

    /** As {@link #copy(Connection, Connection, TableInfo, boolean, AtomicLong)}, showing the source's bytes to an observer. */
    public static long copy(Connection source, Connection target, TableInfo table, boolean binary, AtomicLong bytes,
                            ChunkSink observer) throws SQLException, IOException {
        List<String> columns = copiedColumns(table);
        CopyOut out = manager(source).copyOut(copyOutSql(table, columns, binary));
        CopyIn in;
        try {
            in = manager(target).copyIn(copyInSql(table, columns, binary));
        } catch (SQLException e) {
            out.cancelCopy();
            throw e;
        }
        try {
            CopyPump.pump(out, (chunk, length) -> in.writeToCopy(chunk, 0, length), bytes, observer);
            return in.endCopy();
        } catch (SQLException | IOException | RuntimeException e) {
            cancel(in, e);
            throw e;
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /**
     * Streams a table's current content to a sink (a backup entry), showing the bytes to an observer
     * (may be null) on the reading thread. Returns the rows read.
     */
    public static long export(Connection c, TableInfo table, List<String> columns, boolean binary, ChunkSink sink,
                              AtomicLong bytes, ChunkSink observer) throws SQLException, IOException {
        CopyOut out = manager(c).copyOut(copyOutSql(table, columns, binary));
        CopyPump.pump(out, sink, bytes, observer);
        return out.getHandledRowCount();
    }

    /** Loads a table from a stream of COPY bytes (a backup entry). Returns the rows loaded. */
    public static long load(Connection c, TableInfo table, List<String> columns, boolean binary, InputStream data,
                            AtomicLong bytes) throws SQLException, IOException {
        CopyIn in = manager(c).copyIn(copyInSql(table, columns, binary));
        try {
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = data.read(buf)) >= 0) {
                in.writeToCopy(buf, 0, n);
                bytes.addAndGet(n);
            }
            return in.endCopy();
        } catch (SQLException | IOException | RuntimeException e) {
            cancel(in, e);
            throw e;
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /**
     * COPY ... TO STDOUT into a stream, as pgjdbc's {@code CopyManager.copyOut(sql, to)} except that a
     * COPY whose connection was lost (a silent link, a reset) is not cancelled: pgjdbc cancels a COPY OUT
     * with a cancel request on a new connection, which would wait on the dead link (up to its
     * cancelSignalTimeout, 10 s) before the failure is reported. Returns the rows copied.
     */
    public static long copyOut(Connection c, String sql, OutputStream to) throws SQLException, IOException {
        CopyOut out = manager(c).copyOut(sql);
        try {
            byte[] row;
            while ((row = out.readFromCopy()) != null) {
                to.write(row);
            }
            return out.getHandledRowCount();
        } catch (SQLException | IOException | RuntimeException e) {
            cancelUnlessLost(out, e);
            throw e;
        }
    }

    /** Cancels a failed COPY OUT unless its connection was lost (see {@link #copyOut}); never hides the failure. */
    static void cancelUnlessLost(CopyOut out, Throwable failure) {
        if (LinkFailures.silentLink(failure) != null || failure instanceof SQLException e && LinkFailures.connectionLost(e)) {
            return;
        }
        try {
            if (out.isActive()) {
                out.cancelCopy();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Cancels a failed COPY IN; a failure to cancel (the connection is gone) must not hide why it failed. */
    public static void cancel(CopyIn in, Exception cause) {
        try {
            if (in.isActive()) {
                in.cancelCopy();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static CopyManager manager(Connection c) throws SQLException {
        return c.unwrap(PGConnection.class).getCopyAPI();
    }
}
