package dev.archon.sync.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CopyTextTest {
    @Test
    void roundTripsEveryCharacterCopyEscapes() {
        String value = "tab\there\nnew\\line\rcr|pipe";
        assertEquals(value, CopyText.unescape(CopyText.escape(value)));
        assertEquals("tab\\there\\nnew\\\\line\\rcr|pipe", CopyText.escape(value));
    }

    @Test
    void nullIsBackslashN() {
        assertEquals("\\N", CopyText.escape(null));
        assertNull(CopyText.unescape("\\N"));
        assertEquals("NULL", CopyText.unescape("NULL"));
    }

    @Test
    void octalAndHexEscapes() {
        assertEquals("A", CopyText.unescape("\\101"));
        assertEquals("A", CopyText.unescape("\\x41"));
        assertEquals("\u000b\b\f", CopyText.unescape("\\v\\b\\f"));
    }
}
