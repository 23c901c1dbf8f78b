package dev.archon.sync.schema;

/** A sequence owned by a column of a table (serial, bigserial, identity), by its qualified quoted name. */
public record SequenceLink(String column, String sequence) {
}
