package dev.archon.sync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fallback peak-RSS measurement where GNU time is missing: reads VmHWM (the kernel's own
 * high-water mark of the resident set) of a process every {@value #PERIOD_MS} ms until stopped;
 * the last value read before the process exits is its peak, give or take one period.
 */
final class RssPoller implements Runnable {
    private static final long PERIOD_MS = 20;

    private final Path status;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakKb = -1;

    private RssPoller(long pid) {
        this.status = Path.of("/proc", Long.toString(pid), "status");
        this.thread = new Thread(this, "bench rss poller " + pid);
        thread.setDaemon(true);
    }

    static RssPoller start(long pid) {
        RssPoller p = new RssPoller(pid);
        p.thread.start();
        return p;
    }

    @Override
    public void run() {
        while (running) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        peakKb = Math.max(peakKb, Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
                Thread.sleep(PERIOD_MS);
            } catch (IOException | NumberFormatException gone) {
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops polling; returns the peak in KiB, or -1 when none could be read. */
    long stop() throws InterruptedException {
        running = false;
        thread.join();
        return peakKb;
    }
}
