package dev.archon.sync.backup;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Reads a backup archive written by {@link BackupWriter}. {@link #open(Path)} checks the magic, the
 * trailer and the manifest's SHA-256; {@link #openEntry(BackupEntry)} streams one entry's COPY bytes
 * back and checks their SHA-256 at the end. {@link #validate(Path)} checks a whole file.
 * Entries may be read concurrently (positional reads); close the reader after its streams.
 */
public final class BackupReader implements AutoCloseable {
    private static final int READ_BUFFER = 1 << 17;

    private final Path file;
    private final FileChannel channel;
    private final BackupManifest manifest;
    private final long manifestOffset;
    private final String manifestSha256;

    private BackupReader(Path file, FileChannel channel, BackupManifest manifest, long manifestOffset, String sha) {
        this.file = file;
        this.channel = channel;
        this.manifest = manifest;
        this.manifestOffset = manifestOffset;
        this.manifestSha256 = sha;
    }

    /**
     * Opens an archive and reads its manifest.
     *
     * @throws ArchonSyncException INVALID_ARGUMENTS if the file is missing, unreadable, not an archive
     *                             or of a newer format; VERIFICATION_FAILED if it is truncated or damaged
     */
    public static BackupReader open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "the backup " + file + " does not exist", e);
        } catch (IOException e) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS,
                    "cannot read the backup " + file + ": " + BackupFormat.reason(e), e);
        }
        try {
            return load(file, channel);
        } catch (ArchonSyncException e) {
            closeQuietly(channel);
            throw e;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS,
                    "cannot read the backup " + file + ": " + BackupFormat.reason(e), e);
        }
    }

    private static BackupReader load(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        byte[] magic = readFully(channel, 0, (int) Math.min(size, BackupFormat.MAGIC.length));
        if (!Arrays.equals(magic, BackupFormat.MAGIC)) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS,
                    file + " is not an archon-sync backup (it does not start with ARCHONBK1)");
        }
        if (size < BackupFormat.MAGIC.length + BackupFormat.TRAILER_LENGTH) {
            throw damaged(file, "it is truncated (" + size + " bytes, no manifest)");
        }
        ByteBuffer trailer = ByteBuffer.wrap(readFully(channel, size - BackupFormat.TRAILER_LENGTH, BackupFormat.TRAILER_LENGTH));
        long offset = trailer.getLong();
        long length = trailer.getLong();
        byte[] sha = new byte[32];
        trailer.get(sha);
        byte[] end = new byte[BackupFormat.END_MAGIC.length];
        trailer.get(end);
        if (!Arrays.equals(end, BackupFormat.END_MAGIC)) {
            throw damaged(file, "it is truncated or its end was overwritten (the end marker is missing)");
        }
        if (offset < BackupFormat.MAGIC.length || length <= 0 || length > BackupFormat.MAX_MANIFEST
                || offset + length != size - BackupFormat.TRAILER_LENGTH) {
            throw damaged(file, "its trailer points outside the file");
        }
        byte[] body = readFully(channel, offset, (int) length);
        String actual = BackupFormat.hex(BackupFormat.sha256().digest(body));
        if (!MessageDigest.isEqual(sha, BackupFormat.sha256().digest(body))) {
            throw damaged(file, "its manifest was changed (sha256 " + actual + ", the trailer lists "
                    + BackupFormat.hex(sha) + ")");
        }
        BackupManifest manifest;
        try {
            manifest = BackupFormat.JSON.readValue(body, BackupManifest.class);
        } catch (IOException e) {
            throw damaged(file, "its manifest is not valid JSON (" + ArchonSyncException.firstLine(e.getMessage()) + ")");
        }
        if (manifest.formatVersion() != BackupFormat.FORMAT_VERSION) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "the backup " + file + " has format version "
                    + manifest.formatVersion() + "; this archon-sync reads version " + BackupFormat.FORMAT_VERSION);
        }
        checkEntries(file, manifest, offset);
        return new BackupReader(file, channel, manifest, offset, actual);
    }

    private static void checkEntries(Path file, BackupManifest manifest, long manifestOffset) {
        long previousEnd = BackupFormat.MAGIC.length;
        for (BackupEntry e : manifest.entries()) {
            if (e.schema() == null || e.table() == null || e.sha256() == null || e.copyFormat() == null
                    || e.offset() <= previousEnd || e.compressedBytes() <= 0 || e.uncompressedBytes() < 0
                    || e.offset() + e.compressedBytes() > manifestOffset) {
                throw damaged(file, "its manifest lists the entry " + e.qualifiedName() + " at an impossible place");
            }
            previousEnd = e.offset() + e.compressedBytes();
        }
    }

    static ArchonSyncException damaged(Path file, String what) {
        return new ArchonSyncException(ErrorCode.VERIFICATION_FAILED, "the backup " + file + " is damaged: " + what);
    }

    static byte[] readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                throw new java.io.EOFException("unexpected end of file at byte " + (position + buf.position()));
            }
        }
        return buf.array();
    }

    /** Checks a whole archive without a database; see {@link ValidationReport}. */
    public static ValidationReport validate(Path file) {
        return BackupValidator.validate(file);
    }

    /** The archive's path. */
    public Path file() {
        return file;
    }

    /** The archive's table of contents. */
    public BackupManifest manifest() {
        return manifest;
    }

    /** SHA-256 of the manifest bytes (lower-case hex), as verified against the trailer. */
    public String manifestSha256() {
        return manifestSha256;
    }

    long manifestOffset() {
        return manifestOffset;
    }

    FileChannel channel() {
        return channel;
    }

    /**
     * Streams an entry's COPY bytes, decompressing as it goes. At the end of the data the stream
     * throws {@link ArchonSyncException} (VERIFICATION_FAILED) instead of returning -1 if the bytes
     * do not match the manifest. The caller closes the stream.
     *
     * @param entry one of {@code manifest().entries()}
     */
    public InputStream openEntry(BackupEntry entry) {
        return new VerifyingInputStream(rawEntry(entry), entry, file.toString());
    }

    /** The decompressed bytes of an entry, unchecked. */
    InputStream rawEntry(BackupEntry entry) {
        if (!manifest.entries().contains(entry)) {
            throw new IllegalArgumentException("the entry " + entry.qualifiedName() + " is not in " + file);
        }
        InputStream region = new BufferedInputStream(
                new RegionInputStream(channel, entry.offset(), entry.compressedBytes()), READ_BUFFER);
        try {
            return new ZstdInputStreamNoFinalizer(region);
        } catch (IOException e) {
            throw new ArchonSyncException(ErrorCode.VERIFICATION_FAILED, "cannot read the entry "
                    + entry.qualifiedName() + " of the backup " + file + ": " + BackupFormat.reason(e), e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already failing with a better message.
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
