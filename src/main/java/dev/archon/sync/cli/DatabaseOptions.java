package dev.archon.sync.cli;

import dev.archon.sync.config.ConfigResolver;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the two databases are: options, else the environment, else the .env file. */
final class DatabaseOptions {
    @Option(names = "--local", paramLabel = "URI",
            description = "Local database: postgresql://user:password@host:port/db or jdbc:postgresql:... (else LOCAL_DATABASE_URI)")
    String local;

    @Option(names = "--remote", paramLabel = "URI",
            description = "Remote database (else REMOTE_DATABASE_URI)")
    String remote;

    @Option(names = "--env-file", paramLabel = "FILE", defaultValue = ".env",
            description = "File read for LOCAL_DATABASE_URI / REMOTE_DATABASE_URI when neither option nor environment sets them (default: ${DEFAULT-VALUE})")
    Path envFile;

    Database local() {
        return database(DatabaseRole.LOCAL);
    }

    Database remote() {
        return database(DatabaseRole.REMOTE);
    }

    Database database(DatabaseRole role) {
        ConfigResolver resolver = new ConfigResolver(System.getenv(), envFile);
        return new Database(resolver.resolve(role, role == DatabaseRole.LOCAL ? local : remote));
    }
}
