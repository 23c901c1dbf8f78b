package dev.archon.sync.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What Archon's earlier script did: empty the tables, then {@code pg_dump -Fc --data-only} of the
 * set piped into {@code pg_restore --data-only --single-transaction} (default compression, as
 * users run it). pg_dump orders the tables by their foreign keys; triggers stay enabled.
 */
final class PgDumpContender implements Contender {
    @Override
    public String name() {
        return "pg_dump|pg_restore";
    }

    @Override
    public String unavailable() {
        return Tools.onPath("pg_dump") == null || Tools.onPath("pg_restore") == null ? "pg_dump/pg_restore not installed" : null;
    }

    @Override
    public Measurement run(BenchServers servers, Path scratch) throws Exception {
        List<String> dump = new ArrayList<>(List.of("pg_dump", "-Fc", "--data-only", "-d", servers.source().toUriWithPassword()));
        for (String t : BenchTables.LOAD_ORDER) {
            dump.add("-t");
            dump.add("public." + t);
        }
        List<String> restore = List.of("pg_restore", "--data-only", "--single-transaction", "--exit-on-error",
                "-d", servers.target().toUriWithPassword());
        long truncate = Tools.truncate(servers.target());
        ChildProcess.Result r = ChildProcess.pipeline(List.of(dump, restore), Map.of(), scratch);
        Tools.check(name(), r);
        return new Measurement(truncate + r.millis(), -1, Map.of("truncate_ms", truncate));
    }
}
