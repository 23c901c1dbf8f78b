package dev.archon.sync.delta;

import java.math.BigInteger;

/**
 * The order-independent content checksum of a table computed from its rows' md5 hashes, exactly as
 * {@link dev.archon.sync.verify.ContentChecksum} computes it on a server ("rows:sum1:sum2", the sums
 * of each md5's two halves read as signed 64-bit integers). Not thread-safe.
 */
public final class Digest {
    private long rows;
    private BigInteger sum1 = BigInteger.ZERO;
    private BigInteger sum2 = BigInteger.ZERO;

    public void add(String md5Hex) {
        rows++;
        sum1 = sum1.add(BigInteger.valueOf(Long.parseUnsignedLong(md5Hex.substring(0, 16), 16)));
        sum2 = sum2.add(BigInteger.valueOf(Long.parseUnsignedLong(md5Hex.substring(16, 32), 16)));
    }

    /** {@code base - removed + added}, each "rows:sum1:sum2": the checksum of a table after some rows were replaced. */
    public static String combine(String base, String removed, String added) {
        String[] b = base.split(":");
        String[] r = removed.split(":");
        String[] a = added.split(":");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            out.append(i == 0 ? "" : ":").append(new BigInteger(b[i]).subtract(new BigInteger(r[i])).add(new BigInteger(a[i])));
        }
        return out.toString();
    }

    public long rows() {
        return rows;
    }

    /** "rows:sum1:sum2". */
    public String value() {
        return rows + ":" + sum1 + ":" + sum2;
    }
}
