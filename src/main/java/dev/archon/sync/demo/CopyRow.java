package dev.archon.sync.demo;

/**
 * Appends one row of COPY text format to a buffer: tab-separated columns, {@code \N} for NULL,
 * backslash, tab, newline and carriage return escaped. Not thread-safe; reused row after row.
 */
final class CopyRow {
    private StringBuilder out;
    private boolean first;

    /** Starts a row appended to {@code target}. */
    CopyRow start(StringBuilder target) {
        this.out = target;
        this.first = true;
        return this;
    }

    CopyRow text(CharSequence value) {
        if (value == null) {
            return nul();
        }
        sep();
        for (int i = 0, n = value.length(); i < n; i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return this;
    }

    /** A value known to need no escaping (numbers, uuids, timestamps, real[] literals). */
    CopyRow raw(CharSequence value) {
        if (value == null) {
            return nul();
        }
        sep();
        out.append(value);
        return this;
    }

    CopyRow num(long value) {
        sep();
        out.append(value);
        return this;
    }

    CopyRow bool(boolean value) {
        sep();
        out.append(value ? 't' : 'f');
        return this;
    }

    CopyRow nul() {
        sep();
        out.append("\\N");
        return this;
    }

    /** The buffer, positioned for a raw value the caller appends itself (e.g. an embedding). */
    StringBuilder column() {
        sep();
        return out;
    }

    void end() {
        out.append('\n');
    }

    private void sep() {
        if (first) {
            first = false;
        } else {
            out.append('\t');
        }
    }
}
