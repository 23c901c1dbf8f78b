package dev.archon.sync.engine;

import java.util.ArrayDeque;

/**
 * Bytes and rows per second over the last few seconds, from samples of running totals; so a speed
 * falls to zero when nothing streams, instead of an average since the start. Not thread-safe (the
 * progress ticker alone uses it).
 */
final class RateWindow {
    private record Sample(long nanos, long bytes, long rows) {
    }

    private final long windowNanos;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    RateWindow(long windowMillis) {
        this.windowNanos = windowMillis * 1_000_000L;
    }

    void add(long nanos, long bytes, long rows) {
        samples.addLast(new Sample(nanos, bytes, rows));
        while (samples.size() > 2 && nanos - samples.peekFirst().nanos() > windowNanos) {
            samples.removeFirst();
        }
    }

    double bytesPerSecond() {
        return rate(Sample::bytes);
    }

    /** Seconds to go for {@code rowsLeft} at the current row rate; null when nothing moves. */
    Long secondsLeft(long rowsLeft) {
        double rate = rate(Sample::rows);
        if (rowsLeft <= 0) {
            return 0L;
        }
        return rate <= 0 ? null : Math.round(rowsLeft / rate);
    }

    private double rate(java.util.function.ToLongFunction<Sample> value) {
        if (samples.size() < 2) {
            return 0;
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        double seconds = (last.nanos() - first.nanos()) / 1e9;
        return seconds <= 0 ? 0 : Math.max(0, value.applyAsLong(last) - value.applyAsLong(first)) / seconds;
    }
}
