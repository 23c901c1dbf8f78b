package dev.archon.sync.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DigestTest {
    /** The definition: the sums of each md5's halves read as signed 64-bit integers, in exact arithmetic. */
    private static String reference(List<String> hashes) {
        BigInteger s1 = BigInteger.ZERO;
        BigInteger s2 = BigInteger.ZERO;
        for (String h : hashes) {
            s1 = s1.add(BigInteger.valueOf(new BigInteger(h.substring(0, 16), 16).longValue()));
            s2 = s2.add(BigInteger.valueOf(new BigInteger(h.substring(16), 16).longValue()));
        }
        return hashes.size() + ":" + s1 + ":" + s2;
    }

    @Test
    void sumsEqualExactArithmeticAcrossEveryCarryAndSign() {
        List<String> hashes = new ArrayList<>();
        Random random = new Random(11);
        byte[] md5 = new byte[16];
        for (int i = 0; i < 5000; i++) {
            random.nextBytes(md5);
            hashes.add(HexFormat.of().formatHex(md5));
        }
        // the extremes: -1, Long.MIN_VALUE, Long.MAX_VALUE, 0, many times over (carries and borrows across 64 bits)
        for (int i = 0; i < 300; i++) {
            hashes.add("ffffffffffffffff8000000000000000");
            hashes.add("7fffffffffffffff7fffffffffffffff");
            hashes.add("80000000000000000000000000000000");
        }
        for (int n : new int[] {0, 1, 2, 17, 5000, hashes.size()}) {
            Digest d = new Digest();
            hashes.subList(0, n).forEach(d::add);
            assertEquals(reference(hashes.subList(0, n)), d.value(), n + " rows");
            assertEquals(n, d.rows());
        }
        List<String> negatives = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            negatives.add("80000000000000008000000000000000");
        }
        Digest d = new Digest();
        negatives.forEach(d::add);
        assertEquals(reference(negatives), d.value(), "a sum far below -2^63");
    }

    @Test
    void aParsedValueContinuesAndCombinesLikeTheSumsThemselves() {
        List<String> first = List.of("ffffffffffffffff8000000000000000", "0123456789abcdef0123456789abcdef");
        List<String> second = List.of("80000000000000000000000000000000", "fedcba9876543210fedcba9876543210");
        Digest d = new Digest();
        first.forEach(d::add);
        Digest continued = Digest.parse(d.value());
        second.forEach(continued::add);
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        assertEquals(reference(all), continued.value());
        assertEquals(reference(first), Digest.combine(reference(all), reference(second), "0:0:0"));
    }
}
