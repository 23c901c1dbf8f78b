package dev.archon.sync.backup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * One entry being written into a {@link BackupWriter}: write the raw COPY bytes into
 * {@link #stream()}, then call {@link #complete(long, String)}. Closing the sink without completing
 * it abandons the entry and makes the whole archive unusable ({@link BackupWriter#finish()} refuses),
 * so a failed {@code COPY TO STDOUT} never yields an archive that looks complete. Not thread-safe.
 */
public final class EntrySink implements AutoCloseable {
    private static final int BUFFER = 1 << 16;

    private final BackupWriter writer;
    final String schema;
    final String table;
    final String copyFormat;
    final List<String> columns;
    final String content;
    final List<String> key;
    private final BufferedOutputStream buffered;
    private final OutputStream stream;
    private boolean done;

    EntrySink(BackupWriter writer, String schema, String table, String copyFormat, List<String> columns,
              OutputStream compressedSide, String content, List<String> key) {
        this.content = content;
        this.key = List.copyOf(key);
        this.writer = writer;
        this.schema = schema;
        this.table = table;
        this.copyFormat = copyFormat;
        this.columns = List.copyOf(columns);
        this.buffered = new BufferedOutputStream(compressedSide, BUFFER);
        this.stream = new Guard();
    }

    /**
     * Where to write the COPY bytes (for example {@code CopyManager.copyOut(sql, sink.stream())}).
     * Buffered; closing it only flushes, the sink stays open. Writes after {@link #complete} fail.
     */
    public OutputStream stream() {
        return stream;
    }

    /**
     * Ends the entry: the data is compressed to its end and the entry is recorded in the manifest.
     *
     * @param rowCount        rows the COPY reported
     * @param contentChecksum the engine's content checksum of the table, stored as given; may be null
     */
    public void complete(long rowCount, String contentChecksum) {
        if (done) {
            throw new IllegalStateException("entry " + schema + "." + table + " is already closed");
        }
        done = true;
        try {
            buffered.flush();
        } catch (IOException e) {
            writer.abandon(this);
            throw writer.writeFailed(e);
        }
        writer.completeEntry(this, rowCount, contentChecksum);
    }

    /** Abandons the entry unless {@link #complete} was called; idempotent. */
    @Override
    public void close() {
        if (!done) {
            done = true;
            writer.abandon(this);
        }
    }

    String qualifiedName() {
        return schema + "." + table;
    }

    /** Refuses writes after the end of the entry and turns close() into flush(). */
    private final class Guard extends OutputStream {
        private final OutputStream out = buffered;

        @Override
        public void write(int b) throws IOException {
            check();
            try {
                out.write(b);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check();
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void flush() throws IOException {
            if (!done) {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw failed(e);
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (!done) {
                flush();
            }
        }

        private void check() throws IOException {
            if (done) {
                throw new IOException("the backup entry " + qualifiedName() + " is already closed");
            }
        }

        private IOException failed(IOException e) {
            return new IOException(writer.writeFailed(e).getMessage(), e);
        }
    }
}
