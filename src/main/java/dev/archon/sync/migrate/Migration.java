package dev.archon.sync.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One bundled migration: its registry key ({@code version}, {@code name}) in
 * {@code archon_migrations}, its SQL text and the md5 checksum of that text.
 */
public record Migration(String version, String name, String sql, String checksum) {
    /** Version under which archon-sync registers its own migrations: no Archon version looks like it. */
    public static final String OWN_VERSION = "archon-sync";

    /** Every bundled migration, in the order they are applied. */
    public static List<Migration> bundled() {
        return List.of(
                load("0.3.0", "021_add_sync_history_table"),
                load(OWN_VERSION, "001_harden_sync_history"),
                load(OWN_VERSION, "002_sync_base"),
                load(OWN_VERSION, "003_base_row_versions"));
    }

    /** "0.3.0/021_add_sync_history_table". */
    public String key() {
        return version + "/" + name;
    }

    private static Migration load(String version, String name) {
        String resource = "/migrations/" + version + "/" + name + ".sql";
        try (InputStream in = Migration.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled migration missing from the jar: " + resource);
            }
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Migration(version, name, sql, md5(sql));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
