package dev.archon.sync.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupWriterTest {
    @TempDir
    Path dir;

    @Test
    void archiveIsOwnerOnlyFromTheStart() throws Exception {
        Path backups = dir.resolve("nested/backups");
        try (BackupWriter writer = BackupWriter.create(backups, "s1", BackupTestData.info(Instant.now()))) {
            Path partial = onlyFile(backups);
            assertTrue(partial.getFileName().toString().endsWith(".archon-backup.partial"), partial.toString());
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(partial));
            assertFalse(Files.exists(writer.path()), "the final name appears only on finish");
            Path archive = writer.finish();
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(archive);
            assertEquals(PosixFilePermissions.fromString("rw-------"), mode);
        }
        assertEquals(List.of(backups.resolve("s1.archon-backup")), List.of(onlyFile(backups)));
    }

    @Test
    void closeWithoutFinishLeavesNoFile() throws Exception {
        try (BackupWriter writer = BackupWriter.create(dir, "s2", BackupTestData.info(Instant.now()))) {
            try (EntrySink sink = writer.openEntry("public", "t", "binary", List.of())) {
                sink.stream().write(BackupTestData.randomBytes(1, 100_000));
                sink.complete(1, null);
            }
        }
        assertEquals(0, count(dir));
    }

    @Test
    void abandonedEntryMakesFinishFailAndLeavesNoFile() throws Exception {
        try (BackupWriter writer = BackupWriter.create(dir, "s3", BackupTestData.info(Instant.now()))) {
            try (EntrySink sink = writer.openEntry("public", "t", "text", List.of())) {
                sink.stream().write("1\tpartial row".getBytes());
                // COPY TO STDOUT failed here: the sink is closed without complete()
            }
            ArchonSyncException e = assertThrows(ArchonSyncException.class, writer::finish);
            assertEquals(ErrorCode.TRANSFER_FAILED, e.code());
            assertTrue(e.getMessage().contains("public.t was not completed"), e.getMessage());
        }
        assertEquals(0, count(dir));
    }

    @Test
    void directoryUnderARegularFileGivesTheDocumentedError() throws Exception {
        Path plainFile = Files.writeString(dir.resolve("not-a-dir"), "x");
        ArchonSyncException e = assertThrows(ArchonSyncException.class,
                () -> BackupWriter.create(plainFile.resolve("backups"), "s4", BackupTestData.info(Instant.now())));
        assertEquals(ErrorCode.TRANSFER_FAILED, e.code());
        assertTrue(e.getMessage().startsWith("cannot write the backup to " + plainFile.resolve("backups") + ": "),
                e.getMessage());
        assertTrue(e.getMessage().contains("; choose another directory with --backup-dir"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void existingArchiveIsNotOverwritten() throws Exception {
        Path archive = BackupTestData.writeArchive(dir, "s5", "a\n".getBytes());
        byte[] before = Files.readAllBytes(archive);
        ArchonSyncException e = assertThrows(ArchonSyncException.class,
                () -> BackupWriter.create(dir, "s5", BackupTestData.info(Instant.now())));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertEquals(before.length, Files.readAllBytes(archive).length);
    }

    @Test
    void unsafeSyncIdIsRefused() {
        ArchonSyncException e = assertThrows(ArchonSyncException.class,
                () -> BackupWriter.create(dir, "../escape", BackupTestData.info(Instant.now())));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
    }

    @Test
    void onlyOneEntryIsOpenAtATimeAndClosedEntriesRefuseWrites() throws Exception {
        try (BackupWriter writer = BackupWriter.create(dir, "s6", BackupTestData.info(Instant.now()))) {
            EntrySink first = writer.openEntry("public", "a", "text", List.of());
            assertThrows(IllegalStateException.class, () -> writer.openEntry("public", "b", "text", List.of()));
            first.complete(0, null);
            assertThrows(IOException.class, () -> first.stream().write(1));
            assertThrows(IllegalArgumentException.class, () -> writer.openEntry("public", "b", "csv", List.of()));
            try (EntrySink second = writer.openEntry("public", "b", "text", List.of())) {
                second.complete(0, null);
            }
            assertEquals(2, writer.entries().size());
            writer.finish();
        }
    }

    private static Path onlyFile(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    private static long count(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }
}
