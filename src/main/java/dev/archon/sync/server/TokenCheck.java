package dev.archon.sync.server;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** The API token: compared in constant time (digests of equal length, so its length does not leak either). */
final class TokenCheck {
    static final int MIN_LENGTH = 16;
    private final byte[] expected;

    TokenCheck(String token) {
        if (token == null || token.length() < MIN_LENGTH) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS,
                    "ARCHON_SYNC_API_TOKEN must be at least " + MIN_LENGTH + " characters (unset it to get a random one)");
        }
        this.expected = digest(token);
    }

    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(expected, digest(presented));
    }

    /** The token of an "Authorization: Bearer ..." header, or null. */
    static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String t = header.substring(7).trim();
        return t.isEmpty() ? null : t;
    }

    /** 32 random bytes, URL-safe base64 without padding. */
    static String random() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
