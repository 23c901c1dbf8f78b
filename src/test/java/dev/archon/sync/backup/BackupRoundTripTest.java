package dev.archon.sync.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void entriesComeBackByteForByteWithTheirManifest() throws Exception {
        byte[] small = "1\thello\n2\twörld\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] empty = new byte[0];
        byte[] big = BackupTestData.textRows(42, 6 << 20);
        byte[] binary = BackupTestData.randomBytes(7, (1 << 20) + 13);
        Instant created = Instant.parse("2026-11-25T09:00:00.123456Z");

        Path archive;
        try (BackupWriter writer = BackupWriter.create(dir, "sync-1", BackupTestData.info(created))) {
            write(writer, "public", "archon_settings", "text", List.of("key", "value"), small, 2, "c1");
            write(writer, "public", "empty_table", "binary", List.of(), empty, 0, null);
            write(writer, "public", "Mixed Case", "text", List.of("id", "payload"), big, 123_456, "c3");
            write(writer, "other", "blobs", "binary", List.of("b"), binary, 9, "c4");
            assertEquals(4, writer.entries().size());
            archive = writer.finish();
        }
        assertEquals(dir.resolve("sync-1.archon-backup"), archive);
        assertTrue(Files.size(archive) < big.length + binary.length, "text rows should compress");

        try (BackupReader reader = BackupReader.open(archive)) {
            BackupManifest m = reader.manifest();
            assertEquals(1, m.formatVersion());
            assertEquals("sync-1", m.syncId());
            assertEquals(created, m.createdAt());
            assertEquals("15.14", m.serverVersion());
            assertEquals("local", m.database());
            assertEquals("sync from remote database postgres@db:5432/archon", m.source());
            assertEquals("zstd", m.compression());
            assertEquals(List.of("archon_settings", "empty_table", "Mixed Case", "blobs"),
                    m.entries().stream().map(BackupEntry::table).toList());

            BackupEntry settings = m.entry("public", "archon_settings");
            assertEquals(List.of("key", "value"), settings.columns());
            assertEquals("text", settings.copyFormat());
            assertEquals(2, settings.rowCount());
            assertEquals("c1", settings.contentChecksum());
            assertEquals(small.length, settings.uncompressedBytes());
            assertEquals(sha256(small), settings.sha256());

            BackupEntry emptyEntry = m.entry("public", "empty_table");
            assertEquals("binary", emptyEntry.copyFormat());
            assertNull(emptyEntry.contentChecksum());
            assertEquals(0, emptyEntry.uncompressedBytes());
            assertEquals(sha256(empty), emptyEntry.sha256());

            BackupEntry bigEntry = m.entry("public", "Mixed Case");
            assertEquals(123_456, bigEntry.rowCount());
            assertTrue(bigEntry.compressedBytes() < bigEntry.uncompressedBytes() / 2);

            assertArrayEquals(small, BackupTestData.readAll(reader.openEntry(settings)));
            assertArrayEquals(empty, BackupTestData.readAll(reader.openEntry(emptyEntry)));
            assertArrayEquals(big, BackupTestData.readAll(reader.openEntry(bigEntry)));
            assertArrayEquals(binary, BackupTestData.readAll(reader.openEntry(m.entry("other", "blobs"))));
        }
        ValidationReport report = BackupReader.validate(archive);
        assertTrue(report.ok(), () -> report.toString());
        assertEquals(4, report.entries().size());
    }

    @Test
    void entriesCanBeReadInAnyOrderAndInterleaved() throws Exception {
        byte[] a = BackupTestData.textRows(1, 300_000);
        byte[] b = BackupTestData.textRows(2, 200_000);
        Path archive = BackupTestData.writeArchive(dir, "sync-2", a, b);
        try (BackupReader reader = BackupReader.open(archive);
             InputStream second = reader.openEntry(reader.manifest().entries().get(1));
             InputStream first = reader.openEntry(reader.manifest().entries().get(0))) {
            byte[] bHead = second.readNBytes(1000);
            byte[] aAll = first.readAllBytes();
            byte[] bRest = second.readAllBytes();
            assertArrayEquals(a, aAll);
            byte[] bAll = new byte[bHead.length + bRest.length];
            System.arraycopy(bHead, 0, bAll, 0, bHead.length);
            System.arraycopy(bRest, 0, bAll, bHead.length, bRest.length);
            assertArrayEquals(b, bAll);
        }
    }

    @Test
    void manifestIsReadableJsonWithSnakeCaseKeys() throws Exception {
        Path archive = BackupTestData.writeArchive(dir, "sync-3", "x\n".getBytes());
        String content = new String(Files.readAllBytes(archive), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(content.startsWith("ARCHONBK1\n{\"entry\":0,\"schema\":\"public\",\"table\":\"t0\""), content);
        assertTrue(content.contains("\"format_version\":1,\"sync_id\":\"sync-3\",\"created_at\":\"2026-11-25T09:00:00Z\""),
                content);
        assertTrue(content.contains("\"content_checksum\":\"checksum-0\""), content);
        assertTrue(content.endsWith("ARCHONBE"));
    }

    private static void write(BackupWriter writer, String schema, String table, String format, List<String> columns,
                              byte[] data, long rows, String checksum) throws Exception {
        try (EntrySink sink = writer.openEntry(schema, table, format, columns)) {
            BackupTestData.writeInChunks(data, sink.stream());
            sink.stream().close(); // closing the stream must not end or break the entry
            sink.complete(rows, checksum);
        }
    }

    static String sha256(byte[] data) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    }
}
