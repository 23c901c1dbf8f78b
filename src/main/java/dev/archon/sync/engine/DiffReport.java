package dev.archon.sync.engine;

/** Placeholder constants for previews of a diff. */
final class DiffReport {
    static final int MAX_EXAMPLES = 0;

    private DiffReport() {
    }
}
