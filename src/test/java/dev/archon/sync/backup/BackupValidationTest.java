package dev.archon.sync.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupValidationTest {
    @TempDir
    Path dir;

    @Test
    void intactArchiveValidates() throws Exception {
        Path archive = BackupTestData.writeArchive(dir, "ok", BackupTestData.textRows(1, 100_000), new byte[0]);
        ValidationReport report = BackupReader.validate(archive);
        assertTrue(report.ok(), report::toString);
        assertTrue(report.problems().isEmpty());
        assertEquals(64, report.manifestSha256().length());
        report.entries().forEach(e -> assertEquals(e.expectedSha256(), e.actualSha256()));
    }

    @Test
    void flippedByteInAnEntryIsDetectedByValidateAndByTheReader() throws Exception {
        byte[] data = BackupTestData.randomBytes(3, 200_000);
        Path archive = BackupTestData.writeArchive(dir, "flip", "head\n".getBytes(), data);
        BackupEntry victim;
        try (BackupReader reader = BackupReader.open(archive)) {
            victim = reader.manifest().entries().get(1);
        }
        flip(archive, victim.offset() + victim.compressedBytes() / 2);

        ValidationReport report = BackupReader.validate(archive);
        assertFalse(report.ok());
        assertTrue(report.problems().isEmpty(), report.problems()::toString);
        assertTrue(report.entries().get(0).ok(), "the other entry is intact");
        ValidationReport.EntryCheck bad = report.entries().get(1);
        assertFalse(bad.ok());
        assertEquals("t1", bad.table());
        assertFalse(bad.problems().isEmpty());

        try (BackupReader reader = BackupReader.open(archive)) {
            ArchonSyncException e = assertThrows(ArchonSyncException.class,
                    () -> BackupTestData.readAll(reader.openEntry(reader.manifest().entries().get(1))));
            assertEquals(ErrorCode.VERIFICATION_FAILED, e.code());
            assertTrue(e.getMessage().contains(archive.toString()) && e.getMessage().contains("public.t1"),
                    e.getMessage());
        }
    }

    @Test
    void flippedByteInAHeaderLineIsDetected() throws Exception {
        Path archive = BackupTestData.writeArchive(dir, "hdr", "a\n".getBytes());
        byte[] bytes = Files.readAllBytes(archive);
        int t0 = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("\"t0\"");
        flip(archive, t0 + 2); // "t0" becomes another name
        ValidationReport report = BackupReader.validate(archive);
        assertFalse(report.ok());
        assertTrue(report.problems().get(0).contains("header of entry 0"), report.problems()::toString);
    }

    @Test
    void truncatedArchiveIsReportedAndRefused() throws Exception {
        Path archive = BackupTestData.writeArchive(dir, "cut", BackupTestData.textRows(5, 50_000));
        try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        ValidationReport report = BackupReader.validate(archive);
        assertFalse(report.ok());
        assertNull(report.manifestSha256());
        assertTrue(report.problems().get(0).contains("truncated"), report.problems()::toString);

        ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> BackupReader.open(archive));
        assertEquals(ErrorCode.VERIFICATION_FAILED, e.code());
        assertTrue(e.getMessage().startsWith("the backup " + archive + " is damaged: it is truncated"), e.getMessage());
    }

    @Test
    void changedManifestIsDetected() throws Exception {
        Path archive = BackupTestData.writeArchive(dir, "man", "a\n".getBytes());
        byte[] bytes = Files.readAllBytes(archive);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int rows = text.indexOf("\"row_count\":0");
        assertTrue(rows > 0);
        bytes[rows + "\"row_count\":".length()] = '7'; // someone edits the row count
        Files.write(archive, bytes);

        ValidationReport report = BackupReader.validate(archive);
        assertFalse(report.ok());
        assertTrue(report.problems().get(0).contains("manifest was changed"), report.problems()::toString);
        ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> BackupReader.open(archive));
        assertEquals(ErrorCode.VERIFICATION_FAILED, e.code());
    }

    @Test
    void fileThatIsNotAnArchiveIsRefusedWithOneLine() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "hello, this is not a backup\n");
        ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> BackupReader.open(notes));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertEquals(notes + " is not an archon-sync backup (it does not start with ARCHONBK1)", e.getMessage());
        assertFalse(BackupReader.validate(notes).ok());

        ArchonSyncException missing = assertThrows(ArchonSyncException.class,
                () -> BackupReader.validate(dir.resolve("nope.archon-backup")));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, missing.code());
        assertTrue(missing.getMessage().contains("does not exist"));
    }

    @Test
    void wrongHashFailsTheLastReadInsteadOfEndingTheStream() throws Exception {
        byte[] data = "1\tone\n2\ttwo\n".getBytes(StandardCharsets.UTF_8);
        BackupEntry entry = new BackupEntry("public", "t", java.util.List.of(), "text", 2, null, data.length, 10,
                "0".repeat(64), 10, null, null);
        var in = new VerifyingInputStream(new java.io.ByteArrayInputStream(data), entry, "f.archon-backup");
        byte[] buf = new byte[data.length];
        assertEquals(data.length, in.readNBytes(buf, 0, buf.length), "all the data is handed out");
        ArchonSyncException e = assertThrows(ArchonSyncException.class, in::read);
        assertEquals(ErrorCode.VERIFICATION_FAILED, e.code());
        assertTrue(e.getMessage().contains("its sha256 is " + BackupRoundTripTest.sha256(data)), e.getMessage());

        BackupEntry shorter = new BackupEntry("public", "t", java.util.List.of(), "text", 2, null, 3, 10,
                BackupRoundTripTest.sha256(data), 10, null, null);
        var tooLong = new VerifyingInputStream(new java.io.ByteArrayInputStream(data), shorter, "f.archon-backup");
        assertThrows(ArchonSyncException.class, tooLong::readAllBytes);
    }

    private static void flip(Path file, long position) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            int b = f.read();
            f.seek(position);
            f.write(b ^ 0x01);
        }
    }
}
