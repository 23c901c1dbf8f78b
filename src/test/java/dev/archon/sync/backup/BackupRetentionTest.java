package dev.archon.sync.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRetentionTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheNewestByManifestDateAndIgnoresOtherFiles() throws Exception {
        // Names and mtimes disagree with created_at on purpose: created_at decides.
        Path oldest = write("c-sync", "2026-01-01T00:00:00Z");
        Path middle = write("b-sync", "2026-02-01T00:00:00Z");
        Path newest = write("a-sync", "2026-03-01T00:00:00Z");
        Files.setLastModifiedTime(oldest, FileTime.from(Instant.parse("2026-12-01T00:00:00Z")));
        Path unrelated = Files.writeString(dir.resolve("notes.txt"), "keep me");
        Path partial = Files.writeString(dir.resolve("running.archon-backup.partial"), "in progress");

        List<Path> deleted = BackupRetention.prune(dir, 2);

        assertEquals(List.of(oldest), deleted);
        assertTrue(Files.exists(middle) && Files.exists(newest));
        assertTrue(Files.exists(unrelated) && Files.exists(partial));
        assertEquals(List.of(middle), BackupRetention.prune(dir, 1));
        assertEquals(List.of(), BackupRetention.prune(dir, 1));
        assertTrue(Files.exists(newest));
    }

    @Test
    void damagedArchiveAgesByModificationTime() throws Exception {
        Path good = write("good", "2026-05-01T00:00:00Z");
        Path damaged = Files.writeString(dir.resolve("damaged.archon-backup"), "garbage");
        Files.setLastModifiedTime(damaged, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        assertEquals(List.of(damaged), BackupRetention.prune(dir, 1));
        assertTrue(Files.exists(good));
    }

    @Test
    void missingDirectoryPrunesNothingAndKeepBelowOneIsRefused() {
        assertEquals(List.of(), BackupRetention.prune(dir.resolve("absent"), 3));
        ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> BackupRetention.prune(dir, 0));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
    }

    private Path write(String syncId, String createdAt) throws Exception {
        try (BackupWriter writer = BackupWriter.create(dir, syncId, BackupTestData.info(Instant.parse(createdAt)))) {
            return writer.finish();
        }
    }
}
