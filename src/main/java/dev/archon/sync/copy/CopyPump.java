package dev.archon.sync.copy;

import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.copy.CopyOut;

/**
 * Moves the bytes of a {@link CopyOut} into a {@link ChunkSink}, reading the source ahead on its
 * own thread through a bounded queue (at most {@value #QUEUE_CHUNKS} chunks of about
 * {@value #CHUNK_BYTES} bytes in memory), so the
 * source server, this process and the target server work at the same time. When the sink fails,
 * the source COPY is cancelled; when the source fails, the error is rethrown to the caller.
 */
public final class CopyPump {
    static final int QUEUE_CHUNKS = 64;
    /** Rows are coalesced into chunks of about this size: fewer queue hand-offs and larger CopyData messages. */
    static final int CHUNK_BYTES = 256 * 1024;
    private static final byte[] END = new byte[0];

    private CopyPump() {
    }

    /**
     * @param bytes incremented with every chunk delivered (progress)
     * @return the number of bytes moved
     */
    public static long pump(CopyOut source, ChunkSink sink, AtomicLong bytes) throws SQLException, IOException {
        return pump(source, sink, bytes, null);
    }

    /**
     * As {@link #pump(CopyOut, ChunkSink, AtomicLong)}, also showing every chunk to {@code observer}
     * on the reading thread (a checksum computed while the writer writes), when not null.
     */
    public static long pump(CopyOut source, ChunkSink sink, AtomicLong bytes, ChunkSink observer)
            throws SQLException, IOException {
        BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
        AtomicBoolean stop = new AtomicBoolean();
        Throwable[] readError = new Throwable[1];
        Thread reader = new Thread(() -> read(source, queue, stop, readError, observer), "archon-sync copy reader");
        reader.setDaemon(true);
        reader.start();
        long total = 0;
        boolean done = false;
        try {
            while (true) {
                byte[] chunk = queue.poll(100, TimeUnit.MILLISECONDS);
                if (chunk == null) {
                    if (!reader.isAlive() && queue.isEmpty()) {
                        break;
                    }
                    continue;
                }
                if (chunk == END) {
                    break;
                }
                sink.write(chunk, chunk.length);
                total += chunk.length;
                bytes.addAndGet(chunk.length);
            }
            done = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying", e);
        } finally {
            stop.set(true);
            try {
                reader.join(done ? 0 : 30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (readError[0] instanceof SQLException e) {
            throw e;
        }
        if (readError[0] != null) {
            throw new IOException("reading the source failed: " + readError[0].getMessage(), readError[0]);
        }
        return total;
    }

    private static void put(BlockingQueue<byte[]> queue, byte[] chunk, AtomicBoolean stop) throws InterruptedException {
        while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
            if (stop.get()) {
                return;
            }
        }
    }

    private static void read(CopyOut source, BlockingQueue<byte[]> queue, AtomicBoolean stop, Throwable[] error,
                             ChunkSink observer) {
        try {
            byte[] buffer = new byte[CHUNK_BYTES];
            int used = 0;
            byte[] row;
            while (!stop.get() && (row = source.readFromCopy()) != null) {
                if (observer != null) {
                    observer.write(row, row.length);
                }
                if (used > 0 && used + row.length > CHUNK_BYTES) {
                    put(queue, java.util.Arrays.copyOf(buffer, used), stop);
                    used = 0;
                }
                if (row.length >= CHUNK_BYTES) {
                    put(queue, row, stop);
                } else {
                    System.arraycopy(row, 0, buffer, used, row.length);
                    used += row.length;
                }
            }
            if (used > 0 && !stop.get()) {
                put(queue, java.util.Arrays.copyOf(buffer, used), stop);
            }
        } catch (Throwable t) {
            error[0] = t;
        } finally {
            // the connection is broken or the copy already ended: the caller reports the cause
            TableCopier.cancelUnlessLost(source, error[0] != null ? error[0] : new SQLException("stopped"));
            queue.offer(END);
        }
    }
}
