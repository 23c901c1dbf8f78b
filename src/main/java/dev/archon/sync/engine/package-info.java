/**
 * The sync engine: {@link dev.archon.sync.engine.SyncEngine} is the one facade the CLI and the
 * HTTP server drive. Validation produces a {@link dev.archon.sync.engine.Preflight} holding the
 * per-table plan; the apply step executes that plan in one target transaction, with backup,
 * verification and a live history row. A bidirectional sync
 * ({@link dev.archon.sync.engine.SyncEngine#merge}) is a three-way merge against the base kept by
 * {@link dev.archon.sync.history.BaseStore}: {@code BidirectionalSync} runs it over two
 * transactions, {@code MergeScan} compares, {@code MergeApply} writes each side with the
 * changes-only applier.
 */
package dev.archon.sync.engine;
