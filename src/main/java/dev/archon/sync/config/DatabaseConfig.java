package dev.archon.sync.config;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where one database is and how to log in to it. Immutable; the password is kept out of
 * {@link #toString()} and {@link #describe()}, so the record can be logged safely.
 *
 * @param role     which database this is
 * @param host     host name or IP address (IPv6 without brackets)
 * @param port     TCP port
 * @param database database name
 * @param user     login role
 * @param password password, or null to rely on pgpass/trust
 * @param params   further connection parameters (sslmode, ...), passed to pgjdbc as they are
 * @param source   where the value came from, for messages ("--local", "LOCAL_DATABASE_URI", ".env")
 */
public record DatabaseConfig(DatabaseRole role, String host, int port, String database, String user,
                             String password, Map<String, String> params, String source) {

    public DatabaseConfig {
        params = Map.copyOf(new TreeMap<>(params));
    }

    /** The pgjdbc URL, without credentials. */
    public String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + UriCodec.encodePathSegment(database);
    }

    /** Connection properties for pgjdbc, including the credentials. */
    public Properties connectionProperties() {
        Properties p = new Properties();
        params.forEach(p::setProperty);
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    /** A copy pointing at another database of the same server. */
    public DatabaseConfig withDatabase(String otherDatabase) {
        return new DatabaseConfig(role, host, port, otherDatabase, user, password, params, source);
    }

    /** A copy logging in as another role. */
    public DatabaseConfig withCredentials(String otherUser, String otherPassword) {
        return new DatabaseConfig(role, host, port, database, otherUser, otherPassword, params, source);
    }

    /** A postgresql:// URI carrying the credentials, for child processes; never log it. */
    public String toUriWithPassword() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        StringBuilder sb = new StringBuilder("postgresql://");
        if (user != null) {
            sb.append(UriCodec.encodeUserInfo(user));
            if (password != null) {
                sb.append(':').append(UriCodec.encodeUserInfo(password));
            }
            sb.append('@');
        }
        sb.append(h).append(':').append(port).append('/').append(UriCodec.encodePathSegment(database));
        return sb.toString();
    }

    /** "local database postgres@127.0.0.1:5432/postgres": safe to print. */
    public String describe() {
        return role.label() + " database " + (user == null ? "" : user + "@") + hostPort() + "/" + database;
    }

    /** host:port, IPv6 in brackets. */
    public String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "DatabaseConfig[" + describe() + ", password=" + (password == null ? "none" : "****")
                + ", params=" + params + ", source=" + source + "]";
    }
}
