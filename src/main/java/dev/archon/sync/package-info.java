/**
 * archon-sync: moves Archon's PostgreSQL data between a local and a remote database.
 * The root package holds what every layer shares: {@link dev.archon.sync.ArchonSyncException}
 * and its {@link dev.archon.sync.ErrorCode}.
 */
package dev.archon.sync;
