/**
 * An Archon-shaped demo database: the schema ({@code archon/schema.sql}, pgvector columns stood in
 * for by {@code real[]}) and a fast, deterministic data generator that streams rows through COPY.
 * Used by the demo, the tests and the benchmark. Entry point: {@link dev.archon.sync.demo.ArchonDataset}.
 */
package dev.archon.sync.demo;
