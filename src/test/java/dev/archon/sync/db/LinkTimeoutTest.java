package dev.archon.sync.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import org.junit.jupiter.api.Test;

class LinkTimeoutTest {
    @Test
    void keepaliveSettingsAddUpToTheBound() {
        for (int s = LinkTimeout.MIN_SECONDS; s <= 600; s++) {
            LinkTimeout t = new LinkTimeout(s);
            int total = t.idle() + t.interval() * t.count();
            assertTrue(total >= s && total <= s + 1, s + " s gives " + t.idle() + " + " + t.interval() + " x " + t.count());
            assertTrue(t.idle() >= 1 && t.interval() >= 1 && t.count() >= 1 && t.count() <= 5);
        }
        LinkTimeout sixty = LinkTimeout.DEFAULT;
        assertEquals(30, sixty.idle());
        assertEquals(6, sixty.interval());
        assertEquals(5, sixty.count());
    }

    @Test
    void parsesSecondsAndMinutesAndRefusesNonsense() {
        assertEquals(60, LinkTimeout.parse("60", "--link-timeout").seconds());
        assertEquals(45, LinkTimeout.parse("45s", "--link-timeout").seconds());
        assertEquals(120, LinkTimeout.parse("2m", "--link-timeout").seconds());
        ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> LinkTimeout.parse("soon", "--link-timeout"));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains("--link-timeout"), e.getMessage());
        assertThrows(ArchonSyncException.class, () -> LinkTimeout.parse("1", "ARCHON_SYNC_LINK_TIMEOUT"));
    }

    @Test
    void serverSettingsAskForTheSameBound() {
        LinkTimeout t = new LinkTimeout(60);
        String pg13 = t.serverSettings(13);
        assertTrue(pg13.contains("tcp_keepalives_idle = 30") && pg13.contains("tcp_keepalives_interval = 6")
                && pg13.contains("tcp_keepalives_count = 5") && pg13.contains("tcp_user_timeout = 60000"), pg13);
        assertFalse(pg13.contains("client_connection_check_interval"));
        assertTrue(t.serverSettings(15).contains("client_connection_check_interval = 6000"));
    }
}
