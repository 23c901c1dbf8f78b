package dev.archon.sync.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Passes bytes through, counting them and, if given a digest, hashing them. Not thread-safe. */
final class CountingOutputStream extends FilterOutputStream {
    private final MessageDigest digest;
    private long count;

    CountingOutputStream(OutputStream out, MessageDigest digest) {
        super(out);
        this.digest = digest;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        if (digest != null) {
            digest.update((byte) b);
        }
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        if (digest != null) {
            digest.update(b, off, len);
        }
        count += len;
    }

    long count() {
        return count;
    }
}
