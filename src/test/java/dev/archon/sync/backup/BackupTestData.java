package dev.archon.sync.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/** Shared helpers: COPY-like data generated on the fly, archives written in one call. */
final class BackupTestData {

    private BackupTestData() {
    }

    static BackupInfo info(Instant createdAt) {
        return new BackupInfo("local", "15.14", "sync from remote database postgres@db:5432/archon", createdAt);
    }

    /** Text-format COPY rows, deterministic for a seed, about {@code bytes} long. */
    static byte[] textRows(long seed, int bytes) {
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + 256);
        int id = 0;
        while (out.size() < bytes) {
            String row = (id++) + "\tproject-" + random.nextInt(1000) + "\t{\"k\": " + random.nextLong()
                    + ", \"tags\": [\"a\", \"b\"]}\t2026-01-" + (1 + random.nextInt(28)) + " 10:00:00+00\t\\N\n";
            out.writeBytes(row.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static byte[] randomBytes(long seed, int bytes) {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes each payload as one entry ("public", "t0", "t1", ...) and finishes the archive. */
    static Path writeArchive(Path dir, String syncId, byte[]... payloads) throws IOException {
        try (BackupWriter writer = BackupWriter.create(dir, syncId, info(Instant.parse("2026-11-25T09:00:00Z")))) {
            for (int i = 0; i < payloads.length; i++) {
                try (EntrySink sink = writer.openEntry("public", "t" + i, "text", List.of("id", "name"))) {
                    writeInChunks(payloads[i], sink.stream());
                    sink.complete(i, "checksum-" + i);
                }
            }
            return writer.finish();
        }
    }

    /** Writes like pgjdbc's copyOut: many small writes of uneven size. */
    static void writeInChunks(byte[] data, OutputStream out) throws IOException {
        int pos = 0;
        int step = 1;
        while (pos < data.length) {
            int n = Math.min(step, data.length - pos);
            out.write(data, pos, n);
            pos += n;
            step = step * 7 % 9001 + 1;
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
