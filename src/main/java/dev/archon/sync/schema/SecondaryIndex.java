package dev.archon.sync.schema;

/** An index that backs no constraint (btree, GIN, trigram, vector...), with the SQL that re-creates it. */
public record SecondaryIndex(String name, String definition) {
}
