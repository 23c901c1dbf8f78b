package dev.archon.sync.demo;

import java.io.Reader;

/**
 * A {@link Reader} over rows generated on demand, for {@code CopyManager.copyIn}: memory stays
 * bounded to about one chunk however many rows the table gets.
 */
final class RowReader extends Reader {
    /** Writes one row (with its newline) into the buffer, or returns false when there are no more. */
    @FunctionalInterface
    interface RowSource {
        boolean next(StringBuilder out);
    }

    private static final int CHUNK_CHARS = 64 * 1024;

    private final RowSource rows;
    private final StringBuilder buffer = new StringBuilder(CHUNK_CHARS * 2);
    private int position;
    private boolean exhausted;

    RowReader(RowSource rows) {
        this.rows = rows;
    }

    @Override
    public int read(char[] target, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (position >= buffer.length() && !refill()) {
            return -1;
        }
        int n = Math.min(length, buffer.length() - position);
        buffer.getChars(position, position + n, target, offset);
        position += n;
        return n;
    }

    private boolean refill() {
        buffer.setLength(0);
        position = 0;
        while (!exhausted && buffer.length() < CHUNK_CHARS) {
            exhausted = !rows.next(buffer);
        }
        return buffer.length() > 0;
    }

    @Override
    public void close() {
        exhausted = true;
    }
}
