package dev.archon.sync.delta;

import java.util.Arrays;

/**
 * One row of a hash stream: its key fields as COPY's text format writes them (escaped, ready to be
 * fed back to COPY ... FROM) and the hex md5 of the row's content.
 */
public record HashedRow(String[] key, String hash) {
    public HashedRow {
        key = key.clone();
    }

    @Override
    public String[] key() {
        return key.clone();
    }

    /** The key fields joined by tabs: a line of COPY's text format. */
    public String keyLine() {
        return String.join("\t", key);
    }

    /** Parses a COPY text line whose last field is the hash and the others the key. */
    public static HashedRow parse(String line) {
        int last = line.lastIndexOf('\t');
        if (last < 0) {
            throw new IllegalArgumentException("not a hash line: no tab");
        }
        return new HashedRow(line.substring(0, last).split("\t", -1), line.substring(last + 1));
    }

    String field(int i) {
        return key[i];
    }

    int width() {
        return key.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HashedRow r && Arrays.equals(key, r.key) && hash.equals(r.hash);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + hash.hashCode();
    }

    @Override
    public String toString() {
        return keyLine() + " " + hash;
    }
}
