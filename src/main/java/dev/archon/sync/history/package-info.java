/**
 * Reading archon_sync_history: {@link dev.archon.sync.history.HistoryReader} merges the rows of
 * both databases (each run is recorded in its target's table) for the HTTP API and the web page.
 */
package dev.archon.sync.history;
