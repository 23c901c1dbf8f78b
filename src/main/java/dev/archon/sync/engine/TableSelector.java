package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.schema.TableName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Chooses the tables of a sync: by default every {@code archon_*} table of {@code public} except
 * the history (never overwritten), the ephemeral MCP session tables, archon_migrations and the
 * bidirectional base (per database, never copied);
 * {@code --tables} and {@code --exclude} take names and glob patterns ({@code *}, {@code ?}).
 */
final class TableSelector {
    static final String SCHEMA = "public";
    static final String HISTORY = "archon_sync_history";
    static final Set<String> EXCLUDED_BY_DEFAULT = Set.of(HISTORY, "archon_mcp_sessions", "archon_mcp_requests",
            "archon_migrations", "archon_sync_identity", "archon_sync_base", "archon_sync_base_tables");

    private TableSelector() {
    }

    static List<TableName> select(Collection<TableName> available, List<String> include, List<String> exclude) {
        Set<TableName> chosen = new TreeSet<>();
        if (include.isEmpty()) {
            for (TableName t : available) {
                if (t.name().startsWith("archon_") && !EXCLUDED_BY_DEFAULT.contains(t.name())) {
                    chosen.add(t);
                }
            }
        } else {
            for (String pattern : include) {
                List<TableName> matched = matching(available, pattern);
                if (matched.isEmpty()) {
                    throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "--tables " + pattern
                            + " matches no table of the source's public schema; run archon-sync tables to list them");
                }
                chosen.addAll(matched);
            }
        }
        for (String pattern : exclude) {
            chosen.removeAll(matching(available, pattern));
        }
        if (chosen.removeIf(t -> t.name().equals(HISTORY)) && !include.isEmpty()) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, HISTORY + " is the sync log and is never synced;"
                    + " leave it out of --tables");
        }
        return new ArrayList<>(chosen);
    }

    private static List<TableName> matching(Collection<TableName> available, String pattern) {
        String name = pattern.trim();
        if (name.startsWith(SCHEMA + ".")) {
            name = name.substring(SCHEMA.length() + 1);
        }
        Pattern regex = glob(name);
        return available.stream().filter(t -> regex.matcher(t.name()).matches()).toList();
    }

    private static Pattern glob(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            switch (ch) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(sb.toString());
    }
}
