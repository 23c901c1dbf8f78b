package dev.archon.sync.cli;

import dev.archon.sync.engine.Direction;
import dev.archon.sync.engine.SyncRequest;
import java.util.List;
import picocli.CommandLine.Option;

/** Which way and which tables: the options a read-only comparison needs (diff), and part of every sync's. */
final class TableOptions {
    @Option(names = {"-d", "--direction"}, required = true, paramLabel = "DIRECTION",
            description = "local-to-remote, remote-to-local or bidirectional (a three-way merge of both)")
    String direction;

    @Option(names = "--tables", split = ",", paramLabel = "NAME",
            description = "Tables to sync (names or globs such as 'archon_*'); default: every archon_* table but the history,"
                    + " MCP sessions and migrations")
    List<String> tables = List.of();

    @Option(names = "--exclude", split = ",", paramLabel = "NAME", description = "Tables to leave out (names or globs)")
    List<String> exclude = List.of();

    /** A request with these and every default (a read-only preview: dry run). */
    SyncRequest request() {
        return SyncRequest.of(Direction.parse(direction)).withTables(tables, exclude).withDryRun(true);
    }
}
