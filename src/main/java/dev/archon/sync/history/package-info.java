/**
 * The archon_sync_history repository: {@link dev.archon.sync.history.HistoryWriter} records a run
 * live on its own connection, outside the data transaction; {@link dev.archon.sync.history.HistoryReader}
 * reads the rows of both databases merged (each run is recorded in its target's table) for the
 * HTTP API and the web page.
 */
package dev.archon.sync.history;
