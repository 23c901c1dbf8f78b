package dev.archon.sync.config;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads KEY=value lines from a .env file (comments, blank lines, "export ", quotes). */
public final class DotEnv {
    private DotEnv() {
    }

    /** The file's entries, or an empty map when it does not exist. */
    public static Map<String, String> read(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return values;
        }
        try {
            for (String raw : Files.readAllLines(file)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("export ")) {
                    line = line.substring("export ".length()).strip();
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String key = line.substring(0, eq).strip();
                String value = line.substring(eq + 1).strip();
                values.put(key, unquote(value));
            }
        } catch (IOException e) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return values;
    }

    /** A quoted value up to its closing quote; an unquoted one up to a " #" comment. */
    private static String unquote(String value) {
        if (!value.isEmpty() && (value.charAt(0) == '"' || value.charAt(0) == '\'')) {
            int close = value.indexOf(value.charAt(0), 1);
            if (close > 0) {
                return value.substring(1, close);
            }
        }
        int hash = value.indexOf(" #");
        return hash >= 0 ? value.substring(0, hash).strip() : value;
    }
}
