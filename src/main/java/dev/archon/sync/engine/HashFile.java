package dev.archon.sync.engine;

import dev.archon.sync.copy.TableCopier;
import dev.archon.sync.delta.HashedRow;
import dev.archon.sync.db.Sql;
import dev.archon.sync.delta.KeyedTable;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One server's (key, md5) stream of a table, captured with one COPY into a temporary file so both
 * servers can hash in parallel and memory stays flat whatever the table's size. A table's own hash
 * COPY also carries each row's xmin as a last field (what a base records to reuse the hash), which
 * {@link #stream()} leaves out. Deletes its file on close.
 */
final class HashFile implements AutoCloseable {
    private final Path file;
    private final long rows;
    private final boolean withXmin;
    private BufferedReader reader;

    private HashFile(Path file, long rows, boolean withXmin) {
        this.file = file;
        this.rows = rows;
        this.withXmin = withXmin;
    }

    /** Runs the table's hash COPY on {@code c} (one statement) and keeps its output: (key fields, hash, xmin) lines. */
    static HashFile capture(Connection c, KeyedTable table) throws SQLException, IOException {
        return capture(c, table, null);
    }

    /** As {@link #capture(Connection, KeyedTable)}, reusing the hashes of {@code pairId}'s base for rows not written since (null: none). */
    static HashFile capture(Connection c, KeyedTable table, String pairId) throws SQLException, IOException {
        if (pairId == null) {
            return capture(c, table.hashCopySql(null), true);
        }
        Sql.hashJoinsOnly(c); // a base without statistics must not turn the join with it into a nested loop
        HashFile f = capture(c, table.hashCopySql(pairId), true); // a failure aborts the transaction, setting and all
        try {
            Sql.allJoins(c);
            return f;
        } catch (SQLException e) {
            f.close();
            throw e;
        }
    }

    /** Keeps the output of any COPY ... TO STDOUT producing (key fields, hash) lines in key order (a base, for example). */
    static HashFile capture(Connection c, String copySql) throws SQLException, IOException {
        return capture(c, copySql, false);
    }

    private static HashFile capture(Connection c, String copySql, boolean withXmin) throws SQLException, IOException {
        Path file = Files.createTempFile("archon-sync-hashes-", ".tsv");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            long rows = TableCopier.copyOut(c, copySql, out);
            return new HashFile(file, rows, withXmin);
        } catch (SQLException | IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * The lines of {@code hashes} with the xmins of {@code xmins} ((key fields, xmin) lines of
     * another server, see {@link KeyedTable#xminCopySql()}) in place of theirs: the base of a
     * database whose rows equal those hashes. Both must hold the same keys in the same order, else
     * IOException.
     */
    static HashFile withXmins(HashFile hashes, HashFile xmins) throws IOException {
        Path file = Files.createTempFile("archon-sync-hashes-", ".tsv");
        try (BufferedReader h = Files.newBufferedReader(hashes.file, StandardCharsets.UTF_8);
             BufferedReader x = Files.newBufferedReader(xmins.file, StandardCharsets.UTF_8);
             java.io.Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            long rows = 0;
            for (String line = h.readLine(); line != null; line = h.readLine(), rows++) {
                String keyAndHash = hashes.withXmin ? line.substring(0, line.lastIndexOf('\t')) : line;
                String key = keyAndHash.substring(0, keyAndHash.lastIndexOf('\t'));
                String other = x.readLine();
                if (other == null || other.lastIndexOf('\t') != key.length() || !other.startsWith(key)) {
                    throw new IOException("the rows' keys differ between the two databases (row " + (rows + 1) + ")");
                }
                out.write(keyAndHash);
                out.write(other, key.length(), other.length() - key.length());
                out.write('\n');
            }
            if (x.readLine() != null) {
                throw new IOException("the rows' keys differ between the two databases (more rows)");
            }
            return new HashFile(file, rows, true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Whether each line ends with the row's xmin. */
    boolean withXmin() {
        return withXmin;
    }

    long rows() {
        return rows;
    }

    /** Bytes the server sent (the file's size). */
    long bytes() throws IOException {
        return Files.size(file);
    }

    /** The raw lines (key fields, hash[, xmin]), to store them as a base. */
    java.io.InputStream open() throws IOException {
        return Files.newInputStream(file);
    }

    /** A copy of the lines without their xmins (for a database other than the one whose xmins they carry). */
    HashFile withoutXmin() throws IOException {
        Path copy = Files.createTempFile("archon-sync-hashes-", ".tsv");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             java.io.Writer out = Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write(line, 0, withXmin ? line.lastIndexOf('\t') : line.length());
                out.write('\n');
            }
            return new HashFile(copy, rows, false);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
    }

    /**
     * The content checksum of the rows these hashes were taken from, as {@link
     * dev.archon.sync.verify.ContentChecksum} computes it on a server (when the hashes were taken in
     * its form); uses this file's one pass of {@link #stream()}.
     */
    dev.archon.sync.verify.ContentChecksum.Value digest() throws IOException {
        dev.archon.sync.delta.Digest d = new dev.archon.sync.delta.Digest();
        for (Iterator<HashedRow> it = stream(); it.hasNext(); ) {
            d.add(it.next().hash());
        }
        return new dev.archon.sync.verify.ContentChecksum.Value(d.rows(), d.value());
    }

    /** The rows in key order; one pass. */
    Iterator<HashedRow> stream() throws IOException {
        reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        return new Iterator<>() {
            private String next = read();

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public HashedRow next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                HashedRow row = HashedRow.parse(withXmin ? next.substring(0, next.lastIndexOf('\t')) : next);
                next = read();
                return row;
            }
        };
    }

    private String read() {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
        }
        Files.deleteIfExists(file);
    }
}
