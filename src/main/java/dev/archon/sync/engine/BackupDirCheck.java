package dev.archon.sync.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The validation check of the backup directory: it (or the nearest existing parent, where it would
 * be created) is a directory a file can be created in, with room for the target's tables. Creating
 * and deleting a probe file is the only test that holds for root and read-only file systems alike.
 */
final class BackupDirCheck {
    private BackupDirCheck() {
    }

    static CheckResult check(Path backupDir, List<TablePlan> plans) {
        long needed = plans.stream().mapToLong(p -> p.target() == null ? 0 : p.target().bytes()).sum();
        Path existing = backupDir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        String fix = ": choose another --backup-dir (or make it writable)";
        if (existing == null || !Files.isDirectory(existing)) {
            return CheckResult.error("backup_directory", "backup directory " + backupDir + " cannot be created: "
                    + (existing == null ? "no parent exists" : existing + " is not a directory") + fix, List.of());
        }
        try {
            Files.delete(Files.createTempFile(existing, ".archon-sync-probe-", ".tmp"));
        } catch (IOException | UnsupportedOperationException e) {
            return CheckResult.error("backup_directory", "backup directory " + backupDir + " is not writable ("
                    + e.getClass().getSimpleName().replace("Exception", "") + " on " + existing + ")" + fix, List.of());
        }
        try {
            long free = Files.getFileStore(existing).getUsableSpace();
            String text = "backup directory " + backupDir + ": writable, " + mb(free) + " MB free, the target's tables take "
                    + mb(needed) + " MB (the compressed backup takes less)";
            return free >= needed ? CheckResult.ok("backup_directory", text) : CheckResult.error("backup_directory", text
                    + ": free space or choose another --backup-dir", List.of());
        } catch (IOException e) {
            return CheckResult.error("backup_directory", "cannot read the free space of " + backupDir + ": " + e.getMessage(),
                    List.of());
        }
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }
}
