/**
 * Backup archives of the tables a sync replaces: {@link dev.archon.sync.backup.BackupWriter} streams
 * {@code COPY ... TO STDOUT} bytes into one file, {@link dev.archon.sync.backup.BackupReader} streams
 * them back for {@code COPY ... FROM STDIN} and validates a file without a database,
 * {@link dev.archon.sync.backup.BackupRetention} prunes old archives.
 *
 * <h2>File format, version 1 ({@code <syncId>.archon-backup})</h2>
 * <pre>
 * magic      "ARCHONBK1\n"                       10 bytes
 * entry*     header line: compact JSON + '\n'     {"entry":0,"schema":"public","table":"t",
 *                                                  "copy_format":"binary","columns":["a","b"]}
 *            data: one zstd frame (content checksum on) of the raw COPY bytes
 * manifest   compact JSON + '\n'                  see {@link dev.archon.sync.backup.BackupManifest}
 * trailer    manifest offset   8 bytes, big-endian
 *            manifest length   8 bytes, big-endian (including the '\n')
 *            manifest sha256  32 bytes
 *            end magic         "ARCHONBE"          8 bytes (56 bytes in all)
 * </pre>
 * The manifest lists, per entry, where its data starts ({@code offset}), its compressed and
 * uncompressed sizes and the SHA-256 of the uncompressed COPY bytes, so a reader seeks straight to
 * an entry; the header lines repeat the entry's identity so the layout can be checked byte for byte
 * (every byte of a valid file is covered by the magic, a header line, an entry's hash, the manifest
 * hash or the trailer). Archives are written under a {@code .partial} name, with mode 0600 from the
 * start (they hold API keys), and renamed atomically when complete.
 */
package dev.archon.sync.backup;
