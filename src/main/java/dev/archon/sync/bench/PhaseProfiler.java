package dev.archon.sync.bench;

import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an archon-sync run spends CPU, per phase: samples every {@value #PERIOD_MS} ms the run's
 * current_phase (from the target's history) and the CPU time (/proc/PID/stat) of the archon-sync
 * JVM, the target's import backend and the source's export and checksum backends. A phase whose
 * wall time is mostly one process's CPU is bound by that process's CPU; a phase where no process
 * is busy waits on I/O or locks. The servers are on this machine, so their backends are visible.
 */
final class PhaseProfiler implements AutoCloseable {
    static final long PERIOD_MS = 200;
    private static final double TICKS_PER_SECOND = 100.0;

    private final DatabaseConfig source;
    private final DatabaseConfig target;
    private final Thread sampler;
    private final Map<String, Double> cpu = new LinkedHashMap<>();
    private final Map<String, Double> wall = new LinkedHashMap<>();
    private final Map<Long, Long> lastTicks = new HashMap<>();
    private volatile boolean stop;

    PhaseProfiler(DatabaseConfig source, DatabaseConfig target) {
        this.source = source;
        this.target = target;
        this.sampler = new Thread(this::sample, "bench phase profiler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        try (Connection s = new Database(source).open("bench profiler"); Connection t = new Database(target).open("bench profiler")) {
            long last = System.nanoTime();
            while (!stop) {
                Thread.sleep(PERIOD_MS);
                long now = System.nanoTime();
                String phase = Sql.queryString(t, "SELECT current_phase FROM public.archon_sync_history WHERE status = 'running'"
                        + " ORDER BY started_at DESC LIMIT 1");
                Map<String, List<String>> pids = new LinkedHashMap<>();
                pids.put("target import backend", Sql.queryStrings(t, "SELECT pid::text FROM pg_stat_activity"
                        + " WHERE application_name = 'archon-sync import'"));
                pids.put("source backends", Sql.queryStrings(s, "SELECT pid::text FROM pg_stat_activity"
                        + " WHERE application_name IN ('archon-sync export', 'archon-sync checksums')"));
                pids.put("archon-sync JVM", ProcessHandle.current().descendants()
                        .filter(p -> p.info().command().orElse("").endsWith("java")).map(p -> String.valueOf(p.pid())).toList());
                if (phase != null) {
                    wall.merge(phase, (now - last) / 1e9, Double::sum);
                    pids.forEach((role, list) -> list.forEach(pid -> cpu.merge(phase + "|" + role,
                            ticks(Long.parseLong(pid)) / TICKS_PER_SECOND, Double::sum)));
                } else {
                    pids.values().forEach(list -> list.forEach(pid -> ticks(Long.parseLong(pid))));
                }
                last = now;
            }
        } catch (SQLException | RuntimeException e) {
            // the run ended (or a server went away): what was sampled stands
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** CPU ticks the process used since the previous sample of it. */
    private long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long total = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            Long before = lastTicks.put(pid, total);
            return before == null ? 0 : total - before;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Per phase: wall seconds, and CPU seconds of each process role ("profile.import.wall_seconds" ...). */
    Map<String, Object> results() {
        Map<String, Object> out = new LinkedHashMap<>();
        wall.forEach((phase, seconds) -> out.put("profile." + phase + ".wall_seconds", round(seconds)));
        cpu.forEach((key, seconds) -> {
            String[] k = key.split("\\|");
            out.put("profile." + k[0] + ".cpu_seconds." + k[1], round(seconds));
        });
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    @Override
    public void close() {
        stop = true;
        try {
            sampler.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
