package dev.archon.sync.engine;

import dev.archon.sync.delta.ChangeKind;
import dev.archon.sync.delta.HashedRow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The keys a diff found, per kind, spilled to temporary files as COPY text lines (ready for
 * {@code COPY keytable FROM STDIN}), plus up to {@code keepExamples} of each kind kept in memory for
 * previews. Deletes its files on close.
 */
final class KeyFiles implements AutoCloseable {
    private final Map<ChangeKind, Path> files = new EnumMap<>(ChangeKind.class);
    private final Map<ChangeKind, BufferedWriter> writers = new EnumMap<>(ChangeKind.class);
    private final Map<ChangeKind, List<HashedRow>> examples = new EnumMap<>(ChangeKind.class);
    private final Map<ChangeKind, Long> counts = new EnumMap<>(ChangeKind.class);
    private final int keepExamples;

    KeyFiles(int keepExamples) throws IOException {
        this.keepExamples = keepExamples;
        for (ChangeKind k : ChangeKind.values()) {
            Path f = Files.createTempFile("archon-sync-keys-" + k.name().toLowerCase() + "-", ".tsv");
            files.put(k, f);
            writers.put(k, Files.newBufferedWriter(f, StandardCharsets.UTF_8));
            examples.put(k, new ArrayList<>());
            counts.put(k, 0L);
        }
    }

    /** Records one key (a {@link dev.archon.sync.delta.TwoWayDiff.Sink}). */
    void accept(ChangeKind kind, HashedRow key) {
        try {
            BufferedWriter w = writers.get(kind);
            w.write(key.keyLine());
            w.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        counts.merge(kind, 1L, Long::sum);
        if (examples.get(kind).size() < keepExamples) {
            examples.get(kind).add(key);
        }
    }

    long count(ChangeKind kind) {
        return counts.get(kind);
    }

    List<HashedRow> examples(ChangeKind kind) {
        return Collections.unmodifiableList(examples.get(kind));
    }

    /** The keys of the given kinds, one after the other, as COPY text. Call after the diff. */
    InputStream open(ChangeKind... kinds) throws IOException {
        for (BufferedWriter w : writers.values()) {
            w.flush();
        }
        List<InputStream> parts = new ArrayList<>();
        for (ChangeKind k : kinds) {
            parts.add(Files.newInputStream(files.get(k)));
        }
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    @Override
    public void close() throws IOException {
        for (ChangeKind k : ChangeKind.values()) {
            writers.get(k).close();
            Files.deleteIfExists(files.get(k));
        }
    }
}
