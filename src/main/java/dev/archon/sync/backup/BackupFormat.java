package dev.archon.sync.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Constants and helpers of the archive format described in the package documentation. */
final class BackupFormat {
    static final byte[] MAGIC = "ARCHONBK1\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END_MAGIC = "ARCHONBE".getBytes(StandardCharsets.US_ASCII);
    static final int TRAILER_LENGTH = 8 + 8 + 32 + END_MAGIC.length;
    static final int FORMAT_VERSION = 1;
    static final String COMPRESSION = "zstd";
    static final String SUFFIX = ".archon-backup";
    static final String PARTIAL_SUFFIX = SUFFIX + ".partial";
    /** Upper bound for one header line, so a damaged file cannot make us read megabytes of "line". */
    static final int MAX_HEADER_LINE = 1 << 20;
    /** Upper bound for the manifest, likewise. */
    static final long MAX_MANIFEST = 64L << 20;

    /**
     * zstd level 1, no worker threads. Measured on 2 cores (zstd + SHA-256 on the writing thread,
     * 128 MiB of COPY text rows, median of 10 runs): level 1 327 MiB/s, level 1 with 2 workers
     * 333 MiB/s (+2%, within noise), with 1 worker 239 MiB/s, level 2 222 MiB/s, level 3 130 MiB/s;
     * levels 2-3 did not even compress better on that data (ratio 3.41 and 3.23 against 3.52).
     * Workers are not worth a thread that competes with PostgreSQL and pgjdbc for the second core.
     */
    static final int ZSTD_LEVEL = 1;
    static final int ZSTD_WORKERS = 0;

    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private BackupFormat() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** A short reason for any failure while reading or writing. */
    static String reasonOf(Exception e) {
        return e instanceof IOException io ? reason(io) : dev.archon.sync.ArchonSyncException.firstLine(e.getMessage());
    }

    /** A short reason for an I/O error, for one-line messages ("permission denied"). */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " already exists" + (f.getReason() == null ? "" : " (" + f.getReason() + ")");
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
