package dev.archon.sync.engine;

import dev.archon.sync.copy.TableCopier;
import dev.archon.sync.delta.HashedRow;
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
 * servers can hash in parallel and memory stays flat whatever the table's size. Deletes its file
 * on close.
 */
final class HashFile implements AutoCloseable {
    private final Path file;
    private final long rows;
    private BufferedReader reader;

    private HashFile(Path file, long rows) {
        this.file = file;
        this.rows = rows;
    }

    /** Runs the table's hash COPY on {@code c} (one statement) and keeps its output. */
    static HashFile capture(Connection c, KeyedTable table) throws SQLException, IOException {
        return capture(c, table.hashCopySql());
    }

    /** Keeps the output of any COPY ... TO STDOUT producing (key fields, hash) lines in key order (a base, for example). */
    static HashFile capture(Connection c, String copySql) throws SQLException, IOException {
        Path file = Files.createTempFile("archon-sync-hashes-", ".tsv");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            long rows = TableCopier.copyOut(c, copySql, out);
            return new HashFile(file, rows);
        } catch (SQLException | IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    long rows() {
        return rows;
    }

    /** Bytes the server sent (the file's size). */
    long bytes() throws IOException {
        return Files.size(file);
    }

    /** The raw lines (key fields, hash), to store them as a base. */
    java.io.InputStream open() throws IOException {
        return Files.newInputStream(file);
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
                HashedRow row = HashedRow.parse(next);
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
