package dev.archon.sync.backup;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Run in a child JVM with a small heap by {@link BackupMemoryTest}: writes one entry of
 * {@code args[1]} MiB and reads it back; exits 0 only if both work and the sizes match.
 */
final class BoundedMemoryProbe {

    private BoundedMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long total = Long.parseLong(args[1]) << 20;
        Path archive;
        try (BackupWriter writer = BackupWriter.create(dir, "big", BackupTestData.info(Instant.now()))) {
            try (EntrySink sink = writer.openEntry("public", "big", "text", List.of("id", "payload"))) {
                long rows = fill(sink.stream(), total);
                sink.complete(rows, null);
            }
            archive = writer.finish();
        }
        long read = 0;
        try (BackupReader reader = BackupReader.open(archive);
             InputStream in = reader.openEntry(reader.manifest().entries().get(0))) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                read += n;
            }
        }
        System.exit(read == total ? 0 : 3);
    }

    /** Writes exactly {@code total} bytes of COPY text rows, 100 bytes a row ("0000000042\t00011\txxx...\n"). */
    private static long fill(OutputStream out, long total) throws Exception {
        byte[] row = ("0000000000\t00000\t" + "x".repeat(82) + "\n").getBytes(StandardCharsets.US_ASCII);
        long rows = 0;
        for (long written = 0; written < total; written += row.length) {
            digits(row, 0, 10, rows);
            digits(row, 11, 5, rows * 31 % 1009);
            out.write(row, 0, (int) Math.min(row.length, total - written));
            rows++;
        }
        return rows;
    }

    private static void digits(byte[] into, int at, int width, long value) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
