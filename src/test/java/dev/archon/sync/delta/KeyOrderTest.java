package dev.archon.sync.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyOrderTest {
    private static HashedRow row(String... key) {
        return new HashedRow(key, "0".repeat(32));
    }

    @Test
    void textKeysSortByBytesNotByACollation() {
        KeyOrder order = new KeyOrder(List.of(KeyKind.BYTES));
        List<HashedRow> rows = new ArrayList<>(List.of(row("ab"), row("a_b"), row("aB"), row("a-b"), row("Ab")));
        rows.sort(order);
        // COLLATE "C": '-' (0x2d) < 'A' (0x41) < 'B' (0x42) < '_' (0x5f) < 'b' (0x62)
        assertEquals(List.of("Ab", "a-b", "aB", "a_b", "ab"), rows.stream().map(HashedRow::keyLine).toList());
    }

    @Test
    void integerKeysSortByValue() {
        KeyOrder order = new KeyOrder(List.of(KeyKind.INTEGER));
        assertTrue(order.compare(row("9"), row("10")) < 0);
        assertTrue(order.compare(row("-5"), row("3")) < 0);
        assertEquals(0, order.compare(row("42"), row("42")));
    }

    @Test
    void escapedFieldsCompareByTheirValueAndNonAsciiByUtf8Bytes() {
        KeyOrder order = new KeyOrder(List.of(KeyKind.BYTES));
        // a tab (0x09) sorts before a space (0x20); the escaped form "\t" would sort after it
        assertTrue(order.compare(row("a\\tb"), row("a b")) < 0);
        // U+FF5E (ef bd 9e) sorts before U+1F600 (f0 9f 98 80) in UTF-8, unlike Java's UTF-16 order
        assertTrue(order.compare(row("\uff5e"), row("\ud83d\ude00")) < 0);
    }

    @Test
    void compositeKeysCompareColumnByColumn() {
        KeyOrder order = new KeyOrder(List.of(KeyKind.BYTES, KeyKind.INTEGER));
        assertTrue(order.compare(row("https://a", "2"), row("https://a", "10")) < 0);
        assertTrue(order.compare(row("https://a", "99"), row("https://b", "1")) < 0);
    }
}
