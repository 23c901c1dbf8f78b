package dev.archon.sync.config;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Parses {@code postgresql://user:password@host:port/db?sslmode=...} URIs (percent-encoded parts,
 * IPv6 hosts in brackets) and {@code jdbc:postgresql:} URLs into a {@link DatabaseConfig}.
 * Error messages name the database and the source of the value but never echo the password.
 */
public final class DatabaseUriParser {
    static final int DEFAULT_PORT = 5432;
    private static final String EXPECTED = "expected postgresql://user:password@host:port/database"
            + " (percent-encode special characters such as @ : / in the password) or jdbc:postgresql://host:port/database";
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    private static final Map<String, String> LIBPQ_TO_PGJDBC = Map.of(
            "connect_timeout", "connectTimeout",
            "application_name", "ApplicationName",
            "sslmode", "sslmode",
            "sslrootcert", "sslrootcert",
            "sslcert", "sslcert",
            "sslkey", "sslkey",
            "options", "options",
            "target_session_attrs", "targetServerType");

    private DatabaseUriParser() {
    }

    /**
     * @param role   the database the value is for (named in errors)
     * @param value  the URI or JDBC URL
     * @param source where the value came from (named in errors), e.g. "--local" or "LOCAL_DATABASE_URI"
     * @throws ArchonSyncException with {@link ErrorCode#CONNECTION_FAILED} when malformed
     */
    public static DatabaseConfig parse(DatabaseRole role, String value, String source) {
        if (value == null || value.isBlank()) {
            throw malformed(role, source, "it is empty");
        }
        String v = value.trim();
        if (v.startsWith("jdbc:postgresql:")) {
            return parseJdbc(role, v, source);
        }
        String rest;
        if (v.startsWith("postgresql://")) {
            rest = v.substring("postgresql://".length());
        } else if (v.startsWith("postgres://")) {
            rest = v.substring("postgres://".length());
        } else {
            int colon = v.indexOf(':');
            String scheme = colon > 0 && colon < 20 ? "'" + v.substring(0, colon) + "'" : "missing";
            throw malformed(role, source, "the scheme is " + scheme);
        }
        return parseUri(role, rest, source);
    }

    private static DatabaseConfig parseUri(DatabaseRole role, String rest, String source) {
        String user = null;
        String password = null;
        int slashOrQuery = indexOfAny(rest, "/?", rest.lastIndexOf('@') + 1);
        String authority = slashOrQuery < 0 ? rest : rest.substring(0, slashOrQuery);
        String tail = slashOrQuery < 0 ? "" : rest.substring(slashOrQuery);
        int at = authority.lastIndexOf('@');
        try {
            if (at >= 0) {
                String userInfo = authority.substring(0, at);
                int colon = userInfo.indexOf(':');
                user = UriCodec.decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
                password = colon < 0 ? null : UriCodec.decode(userInfo.substring(colon + 1));
                authority = authority.substring(at + 1);
            }
        } catch (IllegalArgumentException e) {
            throw malformed(role, source, "the user or password has an " + e.getMessage());
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw malformed(role, source, "the IPv6 host has no closing ']'");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw malformed(role, source, "unexpected text after the IPv6 host");
                }
                portText = after.substring(1);
            }
        } else {
            if (authority.indexOf(',') >= 0) {
                throw malformed(role, source, "several hosts are not supported; name one host");
            }
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw malformed(role, source, "the host is missing");
        }
        int port = parsePort(role, source, portText);
        String database = null;
        String query = "";
        if (tail.startsWith("/")) {
            int q = tail.indexOf('?');
            database = q < 0 ? tail.substring(1) : tail.substring(1, q);
            query = q < 0 ? "" : tail.substring(q + 1);
        } else if (tail.startsWith("?")) {
            query = tail.substring(1);
        }
        Map<String, String> params = new LinkedHashMap<>();
        try {
            database = database == null || database.isEmpty() ? null : UriCodec.decode(database);
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw malformed(role, source, "query parameter '" + safe(pair) + "' has no value");
                }
                String key = UriCodec.decode(pair.substring(0, eq));
                String val = UriCodec.decode(pair.substring(eq + 1));
                switch (key) {
                    case "user" -> user = val;
                    case "password" -> password = val;
                    case "dbname" -> database = val;
                    case "host" -> host = val;
                    case "port" -> port = parsePort(role, source, val);
                    default -> params.put(LIBPQ_TO_PGJDBC.getOrDefault(key, key), val);
                }
            }
        } catch (IllegalArgumentException e) {
            throw malformed(role, source, "the database name or a query parameter has an " + e.getMessage());
        }
        String sslmode = params.get("sslmode");
        if (sslmode != null && !SSL_MODES.contains(sslmode)) {
            throw malformed(role, source, "sslmode '" + sslmode + "' is not one of " + String.join(", ", new java.util.TreeSet<>(SSL_MODES)));
        }
        if (database == null) {
            database = user != null ? user : "postgres";
        }
        return new DatabaseConfig(role, host, port, database, user, password, params, source);
    }

    private static DatabaseConfig parseJdbc(DatabaseRole role, String url, String source) {
        Properties props = org.postgresql.Driver.parseURL(url, new Properties());
        if (props == null) {
            throw malformed(role, source, "pgjdbc cannot parse this jdbc:postgresql: URL");
        }
        String hosts = props.getProperty("PGHOST", "localhost");
        if (hosts.contains(",")) {
            throw malformed(role, source, "several hosts are not supported; name one host");
        }
        int port = parsePort(role, source, props.getProperty("PGPORT"));
        String database = props.getProperty("PGDBNAME", "");
        String user = props.getProperty("user");
        String password = props.getProperty("password");
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            if (!Set.of("PGHOST", "PGPORT", "PGDBNAME", "user", "password").contains(key)) {
                params.put(key, props.getProperty(key));
            }
        }
        String host = hosts.startsWith("[") && hosts.endsWith("]") ? hosts.substring(1, hosts.length() - 1) : hosts;
        if (database.isEmpty()) {
            database = user != null ? user : "postgres";
        }
        return new DatabaseConfig(role, host, port, database, user, password, params, source);
    }

    private static int parsePort(DatabaseRole role, String source, String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw malformed(role, source, "port " + port + " is outside 1..65535");
            }
            return port;
        } catch (NumberFormatException e) {
            throw malformed(role, source, "port '" + safe(text) + "' is not a number");
        }
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = Math.max(0, from); i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Text from the URI quoted in messages: short, and never anything that may hold the password. */
    private static String safe(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** A malformed URI is a connection failure (exit code 2): the database cannot be reached with it. */
    private static ArchonSyncException malformed(DatabaseRole role, String source, String what) {
        return new ArchonSyncException(ErrorCode.CONNECTION_FAILED,
                "the " + role.label() + " database URI (" + source + ") is malformed: " + what + "; " + EXPECTED);
    }
}
