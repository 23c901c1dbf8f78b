package dev.archon.sync.delta;

/**
 * How one key column is ordered, identically on every server and in this process.
 * {@link #INTEGER}: by value (int2, int4, int8). {@link #BYTES}: by the bytes of its text form
 * (server side: {@code COLLATE "C"} on text, the natural order of uuid, {@code ::text COLLATE "C"}
 * for anything else), so no collation or ICU provider can reorder it.
 */
public enum KeyKind {
    INTEGER,
    BYTES
}
