/**
 * What the databases hold: the checklist that proves {@code archon_sync_history} has the shape the
 * specification requires ({@link dev.archon.sync.schema.HistorySchemaVerifier}).
 */
package dev.archon.sync.schema;
