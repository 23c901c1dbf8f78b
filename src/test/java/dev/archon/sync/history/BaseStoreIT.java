package dev.archon.sync.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.delta.HashedRow;
import dev.archon.sync.delta.KeyKind;
import dev.archon.sync.delta.KeyOrder;
import dev.archon.sync.migrate.Migrator;
import dev.archon.sync.testing.TestServers;
import dev.archon.sync.testing.TestServers.Version;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaseStoreIT {
    private static final String H = "0123456789abcdef0123456789abcdef";

    private static List<String> roundTrip(Connection c, String pair, String table, List<KeyKind> kinds, List<String> lines)
            throws Exception {
        byte[] in = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        assertEquals(lines.size(), BaseStore.replace(c, pair, table, kinds.size(), false, "form", "sync-1", new ByteArrayInputStream(in)).rows());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(lines.size(), BaseStore.copyOut(c, pair, table, kinds, out));
        return Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n"));
    }

    @Test
    void theBaseStreamsBackInTheOrderTheMergeExpects() throws Exception {
        try (Connection c = migrated()) {
            String pair = BaseStore.pairId(BaseStore.identity(c, "local"), "other");
            List<KeyKind> kinds = List.of(KeyKind.INTEGER, KeyKind.BYTES);
            // COPY-escaped key text: a tab and a backslash inside a value, unicode, numbers that sort differently as text
            List<String> lines = List.of("10\tb\t" + H, "9\tz\t" + H, "10\ta\\tb\t" + H, "10\t\u00e9\t" + H, "10\ta\\\\\t" + H,
                    "-3\tx\t" + H);
            List<String> back = roundTrip(c, pair, "public.t", kinds, lines);
            List<HashedRow> expected = new ArrayList<>(lines.stream().map(HashedRow::parse).toList());
            expected.sort(new KeyOrder(kinds));
            assertEquals(expected, back.stream().map(HashedRow::parse).toList());
            assertEquals(6, BaseStore.marker(c, pair, "public.t").orElseThrow().rows());
            // a replace replaces
            assertEquals(List.of("1\t" + H), roundTrip(c, pair, "public.u", List.of(KeyKind.INTEGER), List.of("1\t" + H)));
            roundTrip(c, pair, "public.u", List.of(KeyKind.INTEGER), List.of("2\t" + H));
            assertEquals(1, BaseStore.marker(c, pair, "public.u").orElseThrow().rows());
            assertEquals(1, BaseStore.invalidate(c, List.of("public.t")));
            assertTrue(BaseStore.marker(c, pair, "public.t").isEmpty());
            assertTrue(BaseStore.marker(c, pair, "public.u").isPresent());
            c.commit();
        }
    }

    @Test
    void aReplaceWritesOnlyTheRowsThatChangedAndAnalyzesOnlyAfterALargeChange() throws Exception {
        try (Connection c = migrated()) {
            String pair = BaseStore.pairId(BaseStore.identity(c, "local"), "other");
            List<String> lines = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                lines.add(i + "\t" + H);
            }
            BaseStore.Replaced first = replace(c, pair, lines);
            assertEquals(new BaseStore.Replaced(100, 100), first);
            assertTrue(BaseStore.analyzeAfter(c, first.rows(), first.changed()), "a first base is analyzed");
            assertEquals(new BaseStore.Replaced(100, 0), replace(c, pair, lines));
            lines.set(0, "1\t" + H.replace('0', 'f')); // one hash changed: its row deleted and inserted
            lines.remove(99); // one key gone
            lines.add("101\t" + H); // one key new
            BaseStore.Replaced small = replace(c, pair, lines);
            assertEquals(new BaseStore.Replaced(100, 4), small);
            assertFalse(BaseStore.analyzeAfter(c, small.rows(), small.changed()), "4 of 100 rows changed: left to autovacuum");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BaseStore.copyOut(c, pair, "public.t", List.of(KeyKind.INTEGER), out);
            List<String> expected = new ArrayList<>(lines);
            expected.sort(java.util.Comparator.comparingInt(l -> Integer.parseInt(l.substring(0, l.indexOf('\t')))));
            assertEquals(expected, Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n")));
            c.commit();
        }
    }

    /** A connection (autocommit off) to a fresh database with archon-sync's migrations. */
    private static Connection migrated() throws Exception {
        Database db = TestServers.freshDatabase(Version.PG15, DatabaseRole.LOCAL);
        new Migrator().migrate(db);
        Connection c = db.open("test");
        c.setAutoCommit(false);
        return c;
    }

    private static BaseStore.Replaced replace(Connection c, String pair, List<String> lines) throws Exception {
        byte[] in = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        return BaseStore.replace(c, pair, "public.t", 1, false, "form", "sync-1", new ByteArrayInputStream(in));
    }

    @Test
    void aPairOfIdenticalIdentitiesIsRefused() {
        ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> BaseStore.pairId("a", "a"));
        assertEquals(ErrorCode.REFUSED, e.code());
    }
}
