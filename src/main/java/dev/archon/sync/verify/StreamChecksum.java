package dev.archon.sync.verify;

import dev.archon.sync.schema.Column;
import dev.archon.sync.schema.TableInfo;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Computes {@link ContentChecksum}'s binary-mode checksum from a binary COPY stream as it passes
 * through this process, at no cost to either server: for each tuple it hashes what
 * {@code record_send(ROW(...))} would produce (column count, then per column its type OID, length
 * and the send-function bytes, which are exactly the bytes binary COPY carries), and sums the md5
 * halves exactly (128-bit), as the SQL does. Only for tables whose copied columns are all
 * built-in types (see {@link #applies}). Not thread-safe: one stream, one thread.
 */
public final class StreamChecksum {
    private static final int HEADER_FIXED = 11 + 4 + 4;

    private final int[] typeOids;
    private final MessageDigest md5;
    private final byte[] small = new byte[8];
    private long rows;
    private long lowA;
    private long highA;
    private long lowB;
    private long highB;
    // parser state
    private int headerLeft = HEADER_FIXED;
    private int extensionLeft = -1;
    private int smallFill;
    private State state = State.HEADER;
    private int field;
    private int fieldCount;
    private int bytesLeft;

    private enum State { HEADER, TUPLE_COUNT, FIELD_LENGTH, FIELD_DATA, DONE }

    public StreamChecksum(TableInfo table) {
        List<Column> columns = table.copiedColumns();
        typeOids = columns.stream().mapToInt(c -> (int) c.typeOid()).toArray();
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the table's binary checksum can be computed from its binary COPY stream. */
    public static boolean applies(TableInfo table) {
        return table.copiedColumns().stream().allMatch(c -> c.typeOid() < 16384 && c.binaryOk());
    }

    /** Feeds the next bytes of the binary COPY stream. */
    public void update(byte[] data, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            switch (state) {
                case HEADER -> {
                    if (headerLeft > 0) {
                        int n = Math.min(headerLeft, end - i);
                        // the last 4 fixed bytes are the extension length
                        for (int k = 0; k < n; k++) {
                            int pos = HEADER_FIXED - headerLeft + k;
                            if (pos >= HEADER_FIXED - 4) {
                                small[pos - (HEADER_FIXED - 4)] = data[i + k];
                            }
                        }
                        headerLeft -= n;
                        i += n;
                        if (headerLeft == 0) {
                            extensionLeft = readInt(small, 0);
                        }
                    } else {
                        int n = Math.min(extensionLeft, end - i);
                        extensionLeft -= n;
                        i += n;
                    }
                    if (headerLeft == 0 && extensionLeft == 0) {
                        state = State.TUPLE_COUNT;
                    }
                }
                case TUPLE_COUNT -> {
                    i = fill(data, i, end, 2);
                    if (smallFill == 2) {
                        smallFill = 0;
                        fieldCount = (short) (((small[0] & 0xff) << 8) | (small[1] & 0xff));
                        if (fieldCount == -1) {
                            state = State.DONE;
                        } else {
                            startRow();
                        }
                    }
                }
                case FIELD_LENGTH -> {
                    i = fill(data, i, end, 4);
                    if (smallFill == 4) {
                        smallFill = 0;
                        int len = readInt(small, 0);
                        md5.update(intBytes(typeOids[field]));
                        md5.update(intBytes(len));
                        if (len <= 0) {
                            nextField();
                        } else {
                            bytesLeft = len;
                            state = State.FIELD_DATA;
                        }
                    }
                }
                case FIELD_DATA -> {
                    int n = Math.min(bytesLeft, end - i);
                    md5.update(data, i, n);
                    i += n;
                    bytesLeft -= n;
                    if (bytesLeft == 0) {
                        nextField();
                    }
                }
                case DONE -> i = end;
                default -> throw new IllegalStateException();
            }
        }
    }

    private int fill(byte[] data, int i, int end, int want) {
        while (smallFill < want && i < end) {
            small[smallFill++] = data[i++];
        }
        return i;
    }

    private void startRow() {
        if (fieldCount != typeOids.length) {
            throw new IllegalStateException("binary COPY row has " + fieldCount + " fields, expected " + typeOids.length);
        }
        md5.update(intBytes(fieldCount));
        field = 0;
        if (fieldCount == 0) {
            endRow();
        } else {
            state = State.FIELD_LENGTH;
        }
    }

    private void nextField() {
        field++;
        if (field == fieldCount) {
            endRow();
        } else {
            state = State.FIELD_LENGTH;
        }
    }

    private void endRow() {
        byte[] h = md5.digest();
        long a = readLong(h, 0);
        long b = readLong(h, 8);
        long na = lowA + a;
        highA += (a < 0 ? -1 : 0) + (Long.compareUnsigned(na, lowA) < 0 ? 1 : 0);
        lowA = na;
        long nb = lowB + b;
        highB += (b < 0 ? -1 : 0) + (Long.compareUnsigned(nb, lowB) < 0 ? 1 : 0);
        lowB = nb;
        rows++;
        state = State.TUPLE_COUNT;
    }

    /** The checksum, as {@link ContentChecksum} prints it. */
    public ContentChecksum.Value result() {
        if (state != State.DONE) {
            throw new IllegalStateException("the binary COPY stream ended early");
        }
        return new ContentChecksum.Value(rows, rows + ":" + exact(highA, lowA) + ":" + exact(highB, lowB));
    }

    private static String exact(long high, long low) {
        return BigInteger.valueOf(high).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(low))).toString();
    }

    private static int readInt(byte[] b, int o) {
        return ((b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }

    private static long readLong(byte[] b, int o) {
        return ((long) readInt(b, o) << 32) | (readInt(b, o + 4) & 0xffffffffL);
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
