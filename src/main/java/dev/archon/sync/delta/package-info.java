/**
 * How a difference is computed, without a database: rows are identified by their key and summarised
 * by a hash computed on each server; two (or three) key-ordered streams of (key, hash) are merged
 * into a per-table change plan. {@link dev.archon.sync.delta.TwoWayDiff} compares a source with a
 * target; {@link dev.archon.sync.delta.KeyOrder} is the collation-free order both servers sort by;
 * {@link dev.archon.sync.delta.HashedRow} is one line of a hash stream.
 * {@link dev.archon.sync.delta.ThreeWayMerge} merges a base, a local and a remote stream for a
 * bidirectional sync: {@link dev.archon.sync.delta.ThreeWay} classifies each key into a
 * {@link dev.archon.sync.delta.KeyOutcome} (in sync, carry to a {@link dev.archon.sync.delta.Side},
 * or a conflict), {@link dev.archon.sync.delta.ConflictPolicy} resolves conflicts, and
 * {@link dev.archon.sync.delta.TableMerge} holds a table's counts, conflicts and merged checksum.
 */
package dev.archon.sync.delta;
