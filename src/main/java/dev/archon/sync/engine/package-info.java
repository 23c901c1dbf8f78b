/**
 * The sync engine: {@link dev.archon.sync.engine.SyncEngine} is the one facade the CLI and the
 * HTTP server drive. Validation produces a {@link dev.archon.sync.engine.Preflight} holding the
 * per-table plan; the apply step executes that plan in one target transaction, with backup,
 * verification and a live history row.
 */
package dev.archon.sync.engine;
