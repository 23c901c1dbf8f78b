package dev.archon.sync.backup;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Deletes old backup archives. Only complete archives ({@code *.archon-backup}, regular files) are
 * considered; partial files of running syncs and unrelated files are left alone.
 */
public final class BackupRetention {

    private BackupRetention() {
    }

    /** An archive and the time it was made. */
    private record Dated(Path path, Instant createdAt) {
    }

    /**
     * Keeps the {@code keep} newest archives of {@code directory} and deletes the others. Age is the
     * manifest's created_at, or the file's modification time if the manifest cannot be read.
     *
     * @param keep at least 1
     * @return the deleted files, oldest first; empty if the directory does not exist
     * @throws ArchonSyncException INVALID_ARGUMENTS if keep is below 1, TRANSFER_FAILED if a file
     *                             cannot be listed or deleted
     */
    public static List<Path> prune(Path directory, int keep) {
        if (keep < 1) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS,
                    "backup retention must keep at least 1 backup, not " + keep);
        }
        List<Dated> archives = list(directory);
        archives.sort(Comparator.comparing(Dated::createdAt).thenComparing(d -> d.path().getFileName().toString()));
        List<Path> deleted = new ArrayList<>();
        for (Dated d : archives.subList(0, Math.max(0, archives.size() - keep))) {
            try {
                Files.deleteIfExists(d.path());
                deleted.add(d.path());
            } catch (IOException e) {
                throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED,
                        "cannot delete the old backup " + d.path() + ": " + BackupFormat.reason(e), e);
            }
        }
        return deleted;
    }

    /**
     * Deletes the {@code *.partial} files a killed process left: those not written to for
     * {@code idle} (a running backup writes continuously, so its file is always recent).
     *
     * @return the deleted files; empty if the directory does not exist
     */
    public static List<Path> removeLeftovers(Path directory, java.time.Duration idle) {
        List<Path> deleted = new ArrayList<>();
        Instant before = Instant.now().minus(idle);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + BackupFormat.PARTIAL_SUFFIX)) {
            for (Path p : files) {
                if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).toInstant().isBefore(before)) {
                    Files.deleteIfExists(p);
                    deleted.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return deleted;
        } catch (IOException e) {
            throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED,
                    "cannot remove the partial backups left in " + directory + ": " + BackupFormat.reason(e), e);
        }
        return deleted;
    }

    private static List<Dated> list(Path directory) {
        List<Dated> archives = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + BackupFormat.SUFFIX)) {
            for (Path p : files) {
                if (Files.isRegularFile(p)) {
                    archives.add(new Dated(p, createdAt(p)));
                }
            }
        } catch (NoSuchFileException e) {
            return archives;
        } catch (IOException e) {
            throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED,
                    "cannot list the backups in " + directory + ": " + BackupFormat.reason(e), e);
        }
        return archives;
    }

    private static Instant createdAt(Path file) {
        try (BackupReader reader = BackupReader.open(file)) {
            Instant created = reader.manifest().createdAt();
            if (created != null) {
                return created;
            }
        } catch (ArchonSyncException e) {
            // A damaged archive still ages: fall back to its modification time.
        }
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }
}
