package dev.archon.sync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code pgcopydb copy table-data} of the set (an {@code [include-only-table]} filter), after
 * emptying it. pgcopydb copies tables in parallel jobs, so a child table may be loaded before its
 * parent: its sessions run with {@code session_replication_role = replica} (PGOPTIONS), as users
 * of it on a superuser connection do; the content check afterwards proves the result consistent.
 */
final class PgcopydbContender implements Contender {
    static final int TABLE_JOBS = 2;

    @Override
    public String name() {
        return "pgcopydb";
    }

    @Override
    public String unavailable() {
        return Tools.onPath("pgcopydb") == null ? "pgcopydb not installed (apt-get install -y pgcopydb)" : null;
    }

    @Override
    public Measurement run(BenchServers servers, Path scratch) throws Exception {
        Files.createDirectories(scratch);
        Path filters = scratch.resolve("filters.ini");
        StringBuilder sb = new StringBuilder("[include-only-table]\n");
        BenchTables.LOAD_ORDER.forEach(t -> sb.append("public.").append(t).append('\n'));
        Files.writeString(filters, sb);
        Path dir = scratch.resolve("pgcopydb");
        List<String> command = List.of("pgcopydb", "copy", "table-data",
                "--source", servers.source().toUriWithPassword(), "--target", servers.target().toUriWithPassword(),
                "--dir", dir.toString(), "--filters", filters.toString(), "--table-jobs", String.valueOf(TABLE_JOBS));
        long truncate = Tools.truncate(servers.target());
        ChildProcess.Result r = ChildProcess.run(command, Map.of("PGOPTIONS", "-c session_replication_role=replica"), scratch);
        Tools.check(name(), r);
        return new Measurement(truncate + r.millis(), r.peakRssKb(), Map.of("truncate_ms", truncate));
    }
}
