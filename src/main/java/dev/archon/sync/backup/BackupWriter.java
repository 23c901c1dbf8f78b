package dev.archon.sync.backup;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes one backup archive ({@code <directory>/<syncId>.archon-backup}, format in the package
 * documentation), one entry at a time, in bounded memory whatever the size of the tables:
 * <pre>
 * try (BackupWriter w = BackupWriter.create(dir, syncId, info)) {
 *     try (EntrySink sink = w.openEntry("public", "archon_settings", "binary", columns)) {
 *         long rows = copyManager.copyOut("COPY ... TO STDOUT (FORMAT binary)", sink.stream());
 *         sink.complete(rows, checksum);
 *     }
 *     Path archive = w.finish();
 * }
 * </pre>
 * The file is created with mode 0600 under a {@code .partial} name and renamed atomically by
 * {@link #finish()}; closing without finishing deletes it, so an aborted run leaves nothing behind.
 * Not thread-safe. Errors are {@link ArchonSyncException}s with {@link ErrorCode#TRANSFER_FAILED}.
 */
public final class BackupWriter implements AutoCloseable {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Set<String> COPY_FORMATS = Set.of("binary", "text");
    private static final int FILE_BUFFER = 1 << 17;

    private final Path directory;
    private final Path finalPath;
    private final Path partialPath;
    private final String syncId;
    private final BackupInfo info;
    private final FileChannel channel;
    private final CountingOutputStream file;
    private final List<BackupEntry> entries = new ArrayList<>();
    private final java.util.Map<String, String> sequences = new java.util.TreeMap<>();
    private EntrySink current;
    private ZstdOutputStreamNoFinalizer zstd;
    private CountingOutputStream plain;
    private MessageDigest digest;
    private long dataOffset;
    private String broken;
    private boolean closed;

    private BackupWriter(Path directory, String syncId, BackupInfo info, FileChannel channel, Path partialPath) {
        this.directory = directory;
        this.syncId = syncId;
        this.info = info;
        this.channel = channel;
        this.partialPath = partialPath;
        this.finalPath = directory.resolve(syncId + BackupFormat.SUFFIX);
        this.file = new CountingOutputStream(
                new BufferedOutputStream(Channels.newOutputStream(channel), FILE_BUFFER), null);
    }

    /**
     * Starts {@code <directory>/<syncId>.archon-backup}, creating the directory if missing.
     *
     * @param syncId letters, digits, '.', '_' and '-' only (it becomes the file name)
     * @throws ArchonSyncException TRANSFER_FAILED if the directory cannot be written,
     *                             INVALID_ARGUMENTS if syncId is unusable or the archive already exists
     */
    public static BackupWriter create(Path directory, String syncId, BackupInfo info) {
        java.util.Objects.requireNonNull(directory, "directory");
        java.util.Objects.requireNonNull(info, "info");
        if (syncId == null || !SAFE_ID.matcher(syncId).matches()) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS,
                    "cannot name a backup after the sync id '" + syncId + "': use letters, digits, '.', '_' and '-' only");
        }
        Path dir = directory.toAbsolutePath().normalize();
        Path target = dir.resolve(syncId + BackupFormat.SUFFIX);
        Path partial = dir.resolve(syncId + BackupFormat.PARTIAL_SUFFIX);
        if (Files.exists(target)) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "the backup " + target + " already exists");
        }
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw unwritable(dir, "it exists and is not a directory", e);
        } catch (IOException e) {
            throw unwritable(dir, BackupFormat.reason(e), e);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(partial, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    ownerOnly(dir));
        } catch (FileAlreadyExistsException e) {
            throw unwritable(dir, partial.getFileName() + " already exists (another run is writing it, or a crashed"
                    + " run left it: delete it)", e);
        } catch (IOException e) {
            throw unwritable(dir, BackupFormat.reason(e), e);
        }
        BackupWriter writer = new BackupWriter(dir, syncId, info, channel, partial);
        try {
            writer.file.write(BackupFormat.MAGIC);
        } catch (IOException e) {
            writer.close();
            throw unwritable(dir, BackupFormat.reason(e), e);
        }
        return writer;
    }

    private static FileAttribute<?>[] ownerOnly(Path dir) {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    private static ArchonSyncException unwritable(Path dir, String reason, Exception cause) {
        return new ArchonSyncException(ErrorCode.TRANSFER_FAILED, "cannot write the backup to " + dir + ": " + reason
                + "; choose another directory with --backup-dir or make this one writable", cause);
    }

    /** Where {@link #finish()} puts the archive. */
    public Path path() {
        return finalPath;
    }

    /**
     * Starts the next entry; the previous one must be completed or closed.
     *
     * @param copyFormat "binary" or "text", as in the COPY that produces the bytes
     * @param columns    the COPY's column list in order; empty for all columns
     */
    public EntrySink openEntry(String schema, String table, String copyFormat, List<String> columns) {
        return openEntry(schema, table, copyFormat, columns, BackupEntry.TABLE, List.of());
    }

    /**
     * Starts an entry that holds part of a table (see {@link BackupEntry#content()}).
     *
     * @param content {@link BackupEntry#TABLE}, {@link BackupEntry#ROWS} or {@link BackupEntry#INSERTED_KEYS}
     * @param key     the table's key columns (for ROWS and INSERTED_KEYS)
     */
    public EntrySink openEntry(String schema, String table, String copyFormat, List<String> columns, String content,
                               List<String> key) {
        ensureUsable();
        if (current != null) {
            throw new IllegalStateException("the backup entry " + current.qualifiedName() + " is still open");
        }
        if (schema == null || schema.isEmpty() || table == null || table.isEmpty()) {
            throw new IllegalArgumentException("schema and table must not be empty");
        }
        if (!COPY_FORMATS.contains(copyFormat)) {
            throw new IllegalArgumentException("copy format must be binary or text, not " + copyFormat);
        }
        List<String> cols = columns == null ? List.of() : List.copyOf(columns);
        try {
            EntryHeader header = new EntryHeader(entries.size(), schema, table, copyFormat, cols);
            file.write(BackupFormat.JSON.writeValueAsBytes(header));
            file.write('\n');
            dataOffset = file.count();
            zstd = new ZstdOutputStreamNoFinalizer(file, BackupFormat.ZSTD_LEVEL);
            zstd.setChecksum(true);
            if (BackupFormat.ZSTD_WORKERS > 0) {
                zstd.setWorkers(BackupFormat.ZSTD_WORKERS);
            }
            digest = BackupFormat.sha256();
            plain = new CountingOutputStream(zstd, digest);
        } catch (IOException e) {
            broken = "writing failed";
            throw writeFailed(e);
        }
        current = new EntrySink(this, schema, table, copyFormat, cols, plain, content, key);
        return current;
    }

    void completeEntry(EntrySink sink, long rowCount, String contentChecksum) {
        if (sink != current) {
            throw new IllegalStateException("not the open entry");
        }
        try {
            zstd.closeWithoutClosingParentStream();
        } catch (IOException e) {
            abandon(sink);
            throw writeFailed(e);
        }
        entries.add(new BackupEntry(sink.schema, sink.table, sink.columns, sink.copyFormat, rowCount, contentChecksum,
                plain.count(), file.count() - dataOffset, BackupFormat.hex(digest.digest()), dataOffset, sink.content, sink.key));
        current = null;
        zstd = null;
    }

    void abandon(EntrySink sink) {
        if (sink != current) {
            return;
        }
        if (broken == null) {
            broken = "the entry " + sink.qualifiedName() + " was not completed";
        }
        current = null;
        releaseZstd();
    }

    ArchonSyncException writeFailed(IOException e) {
        if (broken == null) {
            broken = "writing failed: " + BackupFormat.reason(e);
        }
        return new ArchonSyncException(ErrorCode.TRANSFER_FAILED,
                "cannot write the backup " + finalPath + ": " + BackupFormat.reason(e), e);
    }

    /** The entries completed so far, in file order. */
    public List<BackupEntry> entries() {
        return List.copyOf(entries);
    }

    /**
     * Writes the manifest and trailer, syncs the file to disk and renames it to its final name.
     *
     * @return the archive's path
     * @throws ArchonSyncException TRANSFER_FAILED if an entry was abandoned or writing fails
     */
    /**
     * Records a sequence's state at backup time, to be restored with the tables.
     *
     * @param sequence the sequence, schema-qualified and quoted as in SQL
     * @param lastValue its last_value
     * @param isCalled  its is_called
     */
    public void sequence(String sequence, long lastValue, boolean isCalled) {
        sequences.put(sequence, lastValue + ":" + isCalled);
    }

    public Path finish() {
        ensureUsable();
        if (current != null) {
            throw new IllegalStateException("the backup entry " + current.qualifiedName() + " is still open");
        }
        BackupManifest manifest = new BackupManifest(BackupFormat.FORMAT_VERSION, syncId, info.createdAt(),
                info.serverVersion(), info.databaseLabel(), info.source(), BackupFormat.COMPRESSION, entries, sequences);
        try {
            byte[] json = BackupFormat.JSON.writeValueAsBytes(manifest);
            byte[] body = new byte[json.length + 1];
            System.arraycopy(json, 0, body, 0, json.length);
            body[json.length] = '\n';
            long offset = file.count();
            file.write(body);
            ByteBuffer trailer = ByteBuffer.allocate(BackupFormat.TRAILER_LENGTH);
            trailer.putLong(offset).putLong(body.length).put(BackupFormat.sha256().digest(body)).put(BackupFormat.END_MAGIC);
            file.write(trailer.array());
            file.flush();
            channel.force(true);
            channel.close();
            Files.move(partialPath, finalPath, StandardCopyOption.ATOMIC_MOVE);
            closed = true;
            syncDirectory();
            return finalPath;
        } catch (IOException e) {
            throw writeFailed(e);
        }
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | RuntimeException ignored) {
            // Not every platform can sync a directory; the rename itself is already atomic.
        }
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("the backup " + finalPath + " is already closed");
        }
        if (broken != null) {
            throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED,
                    "the backup " + finalPath + " is incomplete: " + broken);
        }
    }

    private void releaseZstd() {
        if (zstd != null) {
            try {
                zstd.closeWithoutClosingParentStream();
            } catch (IOException ignored) {
                // The archive is being discarded.
            }
            zstd = null;
        }
    }

    /** Deletes the partial file unless {@link #finish()} succeeded; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        current = null;
        releaseZstd();
        try {
            channel.close();
        } catch (IOException ignored) {
            // Deleting below is what matters.
        }
        try {
            Files.deleteIfExists(partialPath);
        } catch (IOException ignored) {
            // Nothing more can be done; the .partial name tells people it is not a backup.
        }
    }
}
