package dev.archon.sync.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one command or a pipeline of commands as child processes, timing them from start to exit.
 * Output goes to files in a scratch directory (never held whole in the pipes). The peak RSS of a
 * single command is measured with GNU time ({@value #GNU_TIME}) when present, else by polling
 * VmHWM in /proc. A child still running after {@link #TIMEOUT_MINUTES} minutes is killed.
 */
final class ChildProcess {
    static final String GNU_TIME = "/usr/bin/time";
    static final long TIMEOUT_MINUTES = 180;
    private static final Pattern MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");

    private ChildProcess() {
    }

    /**
     * @param exitCode   the last command's exit code, or the first non-zero one of a pipeline
     * @param millis     wall time from start to the exit of the last process
     * @param stdout     the last command's standard output
     * @param stderr     everything the commands wrote to standard error (the last 1,500 characters)
     * @param peakRssKb  peak resident set size in KiB, or -1 when not measured
     */
    record Result(int exitCode, long millis, String stdout, String stderr, long peakRssKb) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs {@code command} and measures its peak RSS. */
    static Result run(List<String> command, Map<String, String> env, Path scratch) throws IOException, InterruptedException {
        Files.createDirectories(scratch);
        Path timeFile = scratch.resolve("time.txt");
        Files.deleteIfExists(timeFile);
        boolean gnuTime = Files.isExecutable(Path.of(GNU_TIME));
        List<String> full = new ArrayList<>();
        if (gnuTime) {
            full.addAll(List.of(GNU_TIME, "-v", "-o", timeFile.toString()));
        }
        full.addAll(command);
        ProcessBuilder pb = builder(full, env, scratch, 0, true);
        long start = System.nanoTime();
        Process p = pb.start();
        RssPoller poller = gnuTime ? null : RssPoller.start(p.pid());
        int code = await(p);
        long millis = (System.nanoTime() - start) / 1_000_000;
        long rss = poller != null ? poller.stop() : parseRss(timeFile);
        return new Result(code, millis, read(scratch.resolve("out0.txt")), tail(read(scratch.resolve("err0.txt"))), rss);
    }

    /** Runs {@code commands} as a pipeline (each one's stdout into the next one's stdin). */
    static Result pipeline(List<List<String>> commands, Map<String, String> env, Path scratch) throws IOException, InterruptedException {
        Files.createDirectories(scratch);
        List<ProcessBuilder> builders = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            builders.add(builder(commands.get(i), env, scratch, i, i == commands.size() - 1));
        }
        long start = System.nanoTime();
        List<Process> processes = ProcessBuilder.startPipeline(builders);
        int code = 0;
        for (Process p : processes) {
            int c = await(p);
            code = code == 0 ? c : code;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        StringBuilder err = new StringBuilder();
        for (int i = 0; i < commands.size(); i++) {
            err.append(read(scratch.resolve("err" + i + ".txt")));
        }
        String out = read(scratch.resolve("out" + (commands.size() - 1) + ".txt"));
        return new Result(code, millis, out, tail(err.toString()), -1);
    }

    private static ProcessBuilder builder(List<String> command, Map<String, String> env, Path scratch, int i, boolean last) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(scratch.toFile());
        pb.environment().putAll(env);
        pb.redirectError(scratch.resolve("err" + i + ".txt").toFile());
        if (last) {
            pb.redirectOutput(scratch.resolve("out" + i + ".txt").toFile());
        }
        return pb;
    }

    private static int await(Process p) throws InterruptedException {
        try {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                p.waitFor();
                return 124;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    static long parseRss(Path timeFile) throws IOException {
        if (!Files.exists(timeFile)) {
            return -1;
        }
        Matcher m = MAX_RSS.matcher(Files.readString(timeFile, StandardCharsets.UTF_8));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static String tail(String s) {
        return s.length() <= 1500 ? s : "..." + s.substring(s.length() - 1500);
    }
}
