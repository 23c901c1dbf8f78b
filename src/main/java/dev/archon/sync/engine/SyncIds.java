package dev.archon.sync.engine;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Sync ids such as {@code sync_20260112_143022_ab12}: UTC time of start plus 16 random bits. */
public final class SyncIds {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SHAPE = Pattern.compile("sync_\\d{8}_\\d{6}_[0-9a-f]{4}");

    private SyncIds() {
    }

    public static String next() {
        byte[] b = new byte[2];
        RANDOM.nextBytes(b);
        return "sync_" + ZonedDateTime.now(ZoneOffset.UTC).format(FORMAT) + "_" + HexFormat.of().formatHex(b);
    }

    /** Whether text has the shape of a sync id (checked before it reaches SQL or a file name). */
    public static boolean valid(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }
}
