package dev.archon.sync.backup;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes an entry's bytes as they are read and, at the end, throws {@link ArchonSyncException}
 * (VERIFICATION_FAILED) instead of returning -1 if the length or SHA-256 differ from the manifest,
 * so a caller feeding {@code COPY FROM STDIN} aborts the COPY before it ends. Read and
 * decompression errors are reported the same way.
 */
final class VerifyingInputStream extends FilterInputStream {
    private final MessageDigest digest = BackupFormat.sha256();
    private final BackupEntry entry;
    private final String file;
    private long count;
    private boolean verified;

    VerifyingInputStream(InputStream in, BackupEntry entry, String file) {
        super(in);
        this.entry = entry;
        this.file = file;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            // Decoding errors, or a frame that ends early: the file no longer matches its manifest.
            throw fail("cannot be read: " + BackupFormat.reason(e), e);
        }
        if (n > 0) {
            digest.update(b, off, n);
            count += n;
            if (count > entry.uncompressedBytes()) {
                throw fail("it holds more than the " + entry.uncompressedBytes() + " bytes the manifest lists", null);
            }
        } else if (n < 0 && !verified) {
            verify();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void verify() {
        verified = true;
        if (count != entry.uncompressedBytes()) {
            throw fail("it holds " + count + " bytes, the manifest lists " + entry.uncompressedBytes(), null);
        }
        String actual = BackupFormat.hex(digest.digest());
        if (!actual.equals(entry.sha256())) {
            throw fail("its sha256 is " + actual + ", the manifest lists " + entry.sha256(), null);
        }
    }

    private ArchonSyncException fail(String what, Exception cause) {
        return new ArchonSyncException(ErrorCode.VERIFICATION_FAILED,
                "the backup " + file + " is damaged: the entry " + entry.qualifiedName() + " " + what, cause);
    }
}
