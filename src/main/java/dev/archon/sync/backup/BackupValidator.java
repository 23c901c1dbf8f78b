package dev.archon.sync.backup;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an archive byte for byte: the magic, every header line against the manifest, the layout
 * (no gaps, no overlaps), every entry's length and SHA-256, the manifest's SHA-256 and the trailer.
 */
final class BackupValidator {
    private static final int BUFFER = 1 << 16;

    private BackupValidator() {
    }

    static ValidationReport validate(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "the backup " + file + " does not exist");
        }
        BackupReader reader;
        try {
            reader = BackupReader.open(file);
        } catch (ArchonSyncException e) {
            return new ValidationReport(file, false, null, List.of(e.getMessage()), List.of());
        }
        try (reader) {
            List<String> problems = new ArrayList<>(checkLayout(reader));
            List<ValidationReport.EntryCheck> checks = new ArrayList<>();
            for (BackupEntry entry : reader.manifest().entries()) {
                checks.add(checkEntry(reader, entry));
            }
            boolean ok = problems.isEmpty() && checks.stream().allMatch(ValidationReport.EntryCheck::ok);
            return new ValidationReport(file, ok, reader.manifestSha256(), problems, checks);
        }
    }

    /** Header lines must sit right before each entry's data and match the manifest. */
    private static List<String> checkLayout(BackupReader reader) {
        List<String> problems = new ArrayList<>();
        long position = BackupFormat.MAGIC.length;
        List<BackupEntry> entries = reader.manifest().entries();
        for (int i = 0; i < entries.size(); i++) {
            BackupEntry entry = entries.get(i);
            String where = "the header of entry " + i + " (" + entry.qualifiedName() + ")";
            long length = entry.offset() - position;
            try {
                if (length <= 0 || length > BackupFormat.MAX_HEADER_LINE) {
                    problems.add(where + " is missing or damaged");
                    position = entry.offset() + entry.compressedBytes();
                    continue;
                }
                byte[] line = BackupReader.readFully(reader.channel(), position, (int) length);
                if (line[line.length - 1] != '\n') {
                    problems.add(where + " is missing or damaged");
                } else {
                    EntryHeader header = BackupFormat.JSON.readValue(line, EntryHeader.class);
                    if (!header.describes(i, entry)) {
                        problems.add(where + " does not match the manifest: "
                                + new String(line, StandardCharsets.UTF_8).trim());
                    }
                }
            } catch (IOException | RuntimeException e) {
                problems.add(where + " is damaged: " + ArchonSyncException.firstLine(e.getMessage()));
            }
            position = entry.offset() + entry.compressedBytes();
        }
        if (position != reader.manifestOffset()) {
            problems.add("there are " + (reader.manifestOffset() - position)
                    + " unexplained bytes before the manifest");
        }
        return problems;
    }

    private static ValidationReport.EntryCheck checkEntry(BackupReader reader, BackupEntry entry) {
        List<String> problems = new ArrayList<>();
        MessageDigest digest = BackupFormat.sha256();
        long count = 0;
        String actual = null;
        try (InputStream in = reader.rawEntry(entry)) {
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) >= 0) {
                digest.update(buf, 0, n);
                count += n;
            }
            actual = BackupFormat.hex(digest.digest());
        } catch (IOException | ArchonSyncException e) {
            problems.add("its data cannot be read: " + BackupFormat.reasonOf(e));
        }
        if (actual != null && count != entry.uncompressedBytes()) {
            problems.add("it holds " + count + " bytes, the manifest lists " + entry.uncompressedBytes());
        }
        if (actual != null && !actual.equals(entry.sha256())) {
            problems.add("its sha256 is " + actual + ", the manifest lists " + entry.sha256());
        }
        return new ValidationReport.EntryCheck(entry.schema(), entry.table(), entry.rowCount(), entry.sha256(), actual,
                entry.uncompressedBytes(), count, problems.isEmpty(), problems);
    }
}
