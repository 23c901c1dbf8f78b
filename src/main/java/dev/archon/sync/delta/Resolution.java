package dev.archon.sync.delta;

/** A conflict and the side whose version won it. */
public record Resolution(KeyConflict conflict, Side winner) {
    /** What is done to the losing side. */
    public KeyOutcome.Carry carry() {
        return conflict.resolvedBy(winner);
    }
}
