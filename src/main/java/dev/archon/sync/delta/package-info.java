/**
 * How a difference is computed, without a database: rows are identified by their key and summarised
 * by a hash computed on each server; two (or three) key-ordered streams of (key, hash) are merged
 * into a per-table change plan. {@link dev.archon.sync.delta.TwoWayDiff} compares a source with a
 * target; {@link dev.archon.sync.delta.KeyOrder} is the collation-free order both servers sort by;
 * {@link dev.archon.sync.delta.HashedRow} is one line of a hash stream.
 */
package dev.archon.sync.delta;
