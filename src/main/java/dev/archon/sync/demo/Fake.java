package dev.archon.sync.demo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Deterministic fake values: one instance per table, seeded from the dataset seed and a salt, so a
 * table's content depends only on (seed, scale) and never on the order other tables are written.
 */
final class Fake {
    static final String[] WORDS = {
        "the", "a", "of", "to", "and", "in", "is", "for", "with", "on", "that", "by", "this", "from",
        "function", "return", "value", "query", "index", "table", "column", "vector", "embedding",
        "search", "document", "crawl", "page", "source", "project", "task", "agent", "model", "server",
        "client", "request", "response", "token", "context", "prompt", "schema", "migration", "sync",
        "database", "postgres", "supabase", "python", "typescript", "react", "component", "state",
        "hook", "async", "await", "promise", "error", "exception", "handler", "router", "endpoint",
        "config", "environment", "variable", "deploy", "docker", "container", "cache", "memory",
        "stream", "buffer", "parser", "compiler", "runtime", "module", "package", "import", "export",
        "class", "interface", "method", "object", "array", "string", "number", "boolean", "null",
        "default", "option", "parameter", "argument", "callback", "event", "listener", "thread",
        "process", "signal", "timeout", "retry", "backoff", "limit", "offset", "cursor", "batch",
        "transaction", "commit", "rollback", "lock", "constraint", "foreign", "primary", "key",
        "unique", "trigger", "policy", "role", "grant", "access", "secure", "encrypt", "hash",
        "knowledge", "base", "assistant", "coding", "workflow", "pipeline", "chunk", "summary",
        "example", "snippet", "reference", "guide", "tutorial", "install", "setup", "usage",
    };
    /** Words that exercise multi-byte UTF-8, including a surrogate pair. */
    static final String[] UNICODE_WORDS = {"Café", "über", "日本", "🚀", "naïve", "Zürich", "résumé", "Ωmega", "straße"};
    static final String UNICODE_SAMPLE = "Café ü 日本 🚀";

    private static final long BASE_EPOCH_MILLIS = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    private static final long SPAN_MILLIS = 270L * 24 * 3600 * 1000;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSxxx").withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final SplittableRandom random;

    Fake(long seed, long salt) {
        this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + salt * 0xBF58476D1CE4E5B9L);
    }

    /** Inclusive bounds. */
    int between(int low, int high) {
        return random.nextInt(low, high + 1);
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    String uuid() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    String hex(int chars) {
        StringBuilder sb = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            sb.append(HEX[random.nextInt(16)]);
        }
        return sb.toString();
    }

    /** A timestamptz literal in 2025, in UTC, with milliseconds. */
    String timestamp() {
        return TIMESTAMP.format(Instant.ofEpochMilli(BASE_EPOCH_MILLIS + random.nextLong(SPAN_MILLIS)));
    }

    /** A timestamptz literal {@code 0..maxMinutes} minutes after {@code earlier} (same format). */
    String after(String earlier, int maxMinutes) {
        Instant start = Instant.from(TIMESTAMP.parse(earlier));
        return TIMESTAMP.format(start.plusMillis(random.nextLong(maxMinutes * 60_000L + 1)));
    }

    String word() {
        return random.nextInt(40) == 0 ? pick(UNICODE_WORDS) : WORDS[random.nextInt(WORDS.length)];
    }

    /** A capitalised sentence of {@code words} words, without final punctuation. */
    String sentence(int words) {
        StringBuilder sb = new StringBuilder(words * 7);
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(word());
        }
        sb.setCharAt(0, Character.toUpperCase(sb.charAt(0)));
        return sb.toString();
    }

    /**
     * Replaces {@code out} with word-like prose of {@code minChars..maxChars} characters: sentences,
     * paragraphs separated by blank lines, now and then a tab-indented line.
     */
    void prose(StringBuilder out, int minChars, int maxChars) {
        out.setLength(0);
        int target = between(minChars, maxChars);
        int sentenceLeft = between(6, 18);
        boolean capital = true;
        while (out.length() < target) {
            String w = word();
            if (capital) {
                out.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
                capital = false;
            } else {
                out.append(w);
            }
            if (--sentenceLeft == 0) {
                out.append('.');
                sentenceLeft = between(6, 18);
                capital = true;
                int r = random.nextInt(12);
                out.append(r == 0 ? "\n\n" : r == 1 ? "\n\t" : " ");
            } else {
                out.append(' ');
            }
        }
    }

    /** Appends a real[] literal of {@code dims} values in (-1, 1) with four decimals. */
    void embedding(StringBuilder out, int dims) {
        out.append('{');
        for (int i = 0; i < dims; i++) {
            if (i > 0) {
                out.append(',');
            }
            int v = random.nextInt(-9_999, 10_000);
            if (v < 0) {
                out.append('-');
                v = -v;
            }
            out.append("0.");
            out.append((char) ('0' + v / 1000)).append((char) ('0' + v / 100 % 10))
                    .append((char) ('0' + v / 10 % 10)).append((char) ('0' + v % 10));
        }
        out.append('}');
    }

    /** The same values as {@link #embedding}, as a float array (for JDBC inserts). */
    Float[] embeddingValues(int dims) {
        Float[] values = new Float[dims];
        for (int i = 0; i < dims; i++) {
            values[i] = random.nextInt(-9_999, 10_000) / 10_000f;
        }
        return values;
    }
}
