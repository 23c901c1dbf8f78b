package dev.archon.sync.delta;

import java.math.BigInteger;

/**
 * The order-independent content checksum of a table computed from its rows' md5 hashes, exactly as
 * {@link dev.archon.sync.verify.ContentChecksum} computes it on a server ("rows:sum1:sum2", the sums
 * of each md5's two halves read as signed 64-bit integers). Not thread-safe.
 */
public final class Digest {
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
    private long rows;
    // each sum as a 128-bit two's complement integer (high, low): no allocation per row
    private long high1;
    private long low1;
    private long high2;
    private long low2;

    public void add(String md5Hex) {
        rows++;
        long a = Long.parseUnsignedLong(md5Hex, 0, 16, 16);
        long b = Long.parseUnsignedLong(md5Hex, 16, 32, 16);
        long sum = low1 + a;
        high1 += (a >> 63) + (Long.compareUnsigned(sum, low1) < 0 ? 1 : 0);
        low1 = sum;
        sum = low2 + b;
        high2 += (b >> 63) + (Long.compareUnsigned(sum, low2) < 0 ? 1 : 0);
        low2 = sum;
    }

    /** A digest continuing from a {@link #value()}. */
    public static Digest parse(String value) {
        String[] parts = value.split(":");
        Digest d = new Digest();
        d.rows = Long.parseLong(parts[0]);
        BigInteger sum1 = new BigInteger(parts[1]);
        BigInteger sum2 = new BigInteger(parts[2]);
        d.high1 = sum1.shiftRight(64).longValueExact();
        d.low1 = sum1.longValue();
        d.high2 = sum2.shiftRight(64).longValueExact();
        d.low2 = sum2.longValue();
        return d;
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
        return rows + ":" + sum(high1, low1) + ":" + sum(high2, low2);
    }

    private static BigInteger sum(long high, long low) {
        BigInteger unsignedLow = low >= 0 ? BigInteger.valueOf(low) : BigInteger.valueOf(low).add(TWO_TO_64);
        return BigInteger.valueOf(high).shiftLeft(64).add(unsignedLow);
    }
}
