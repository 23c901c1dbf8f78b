/**
 * The archon_sync_history repository: {@link dev.archon.sync.history.HistoryWriter} records a run
 * live on its own connection, outside the data transaction.
 */
package dev.archon.sync.history;
