package dev.archon.sync.delta;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The order both servers stream keys in, reproduced here so two streams can be merged: integer
 * columns by value, every other column by the unsigned bytes of its (unescaped) UTF-8 text, which
 * is what {@code ORDER BY col COLLATE "C"} does on a UTF-8 database. Immutable, thread-safe.
 */
public final class KeyOrder implements Comparator<HashedRow> {
    private final List<KeyKind> kinds;

    public KeyOrder(List<KeyKind> kinds) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("a key has at least one column");
        }
        this.kinds = List.copyOf(kinds);
    }

    public List<KeyKind> kinds() {
        return kinds;
    }

    @Override
    public int compare(HashedRow a, HashedRow b) {
        for (int i = 0; i < kinds.size(); i++) {
            int c = kinds.get(i) == KeyKind.INTEGER
                    ? Long.compare(Long.parseLong(a.field(i)), Long.parseLong(b.field(i)))
                    : Arrays.compareUnsigned(bytes(a.field(i)), bytes(b.field(i)));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static byte[] bytes(String escaped) {
        return CopyText.unescape(escaped).getBytes(StandardCharsets.UTF_8);
    }
}
