package dev.archon.sync.cli;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.config.ConfigResolver;
import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.engine.SyncEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the two databases are: options, else the environment, else the .env file. */
final class DatabaseOptions {
    static final Path DEFAULT_ENV_FILE = Path.of(".env");

    @Option(names = "--local", paramLabel = "URI",
            description = "Local database: postgresql://user:password@host:port/db or jdbc:postgresql:... (else LOCAL_DATABASE_URI)")
    String local;

    @Option(names = "--remote", paramLabel = "URI",
            description = "Remote database (else REMOTE_DATABASE_URI)")
    String remote;

    @Option(names = "--env-file", paramLabel = "FILE",
            description = "File read for LOCAL_DATABASE_URI / REMOTE_DATABASE_URI when neither option nor environment sets them"
                    + " (default: .env in the working directory, if there is one; a file named here must exist)")
    Path envFile;

    /** Both databases, or one error naming every one that is not configured. */
    Database[] both() {
        List<DatabaseConfig> configs = resolver().resolveBoth(local, remote);
        return new Database[] {new Database(configs.get(0)), new Database(configs.get(1))};
    }

    /** The local database (both must be configured: one error names every one missing). */
    Database local() {
        return both()[0];
    }

    /** The remote database (both must be configured). */
    Database remote() {
        return both()[1];
    }

    /** A facade over both databases. */
    SyncEngine engine() {
        Database[] dbs = both();
        return new SyncEngine(dbs[0], dbs[1]);
    }

    Database database(DatabaseRole role) {
        return new Database(resolver().resolve(role, role == DatabaseRole.LOCAL ? local : remote));
    }

    private ConfigResolver resolver() {
        if (envFile != null && !Files.isRegularFile(envFile)) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "--env-file " + envFile + ": no such file");
        }
        return new ConfigResolver(System.getenv(), envFile == null ? DEFAULT_ENV_FILE : envFile);
    }
}
