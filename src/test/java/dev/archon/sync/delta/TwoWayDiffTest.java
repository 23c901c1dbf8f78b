package dev.archon.sync.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwoWayDiffTest {
    private static final KeyOrder INT = new KeyOrder(List.of(KeyKind.INTEGER));

    private static HashedRow r(long key, char hash) {
        return new HashedRow(new String[] {Long.toString(key)}, String.valueOf(hash).repeat(32));
    }

    @Test
    void everyKeyIsInsertUpdateDeleteOrUnchanged() {
        List<HashedRow> source = List.of(r(1, 'a'), r(2, 'b'), r(4, 'd'), r(5, 'e'));
        List<HashedRow> target = List.of(r(1, 'a'), r(2, 'c'), r(3, 'c'), r(5, 'e'));
        List<String> seen = new ArrayList<>();
        TableDiff d = TwoWayDiff.compare(INT, source.iterator(), target.iterator(), (kind, key) -> seen.add(kind + " " + key.keyLine()));
        assertEquals(List.of("UPDATE 2", "DELETE 3", "INSERT 4"), seen);
        assertEquals(1, d.inserts());
        assertEquals(1, d.updates());
        assertEquals(1, d.deletes());
        assertEquals(2, d.unchanged());
        assertEquals(4, d.sourceRows());
        assertEquals(4, d.targetRows());
        assertEquals(3, d.changed());
        assertEquals(Digest.combine(d.targetDigest(), d.replacedDigest(), d.writtenDigest()), d.sourceDigest(),
                "target - replaced + written = source");
        assertEquals(2, Long.parseLong(d.replacedDigest().split(":")[0]), "the updated and the deleted target rows");
        assertEquals(2, Long.parseLong(d.writtenDigest().split(":")[0]), "the updated and the inserted source rows");
    }

    @Test
    void emptySidesMeanAllInsertsOrAllDeletes() {
        TableDiff ins = TwoWayDiff.compare(INT, List.of(r(1, 'a'), r(2, 'b')).iterator(), List.<HashedRow>of().iterator(), (k, r) -> { });
        assertEquals(2, ins.inserts());
        assertEquals("0:0:0", ins.targetDigest());
        TableDiff del = TwoWayDiff.compare(INT, List.<HashedRow>of().iterator(), List.of(r(7, 'f')).iterator(), (k, r) -> { });
        assertEquals(1, del.deletes());
    }

    @Test
    void equalTablesHaveEqualDigests() {
        TableDiff d = TwoWayDiff.compare(INT, List.of(r(1, 'a'), r(2, 'f')).iterator(), List.of(r(1, 'a'), r(2, 'f')).iterator(),
                (k, r) -> { });
        assertEquals(d.sourceDigest(), d.targetDigest());
        assertEquals(0, d.changed());
    }

    @Test
    void aStreamOutOfKeyOrderIsRefused() {
        assertThrows(IllegalStateException.class, () -> TwoWayDiff.compare(INT, List.of(r(2, 'a'), r(1, 'a')).iterator(),
                List.<HashedRow>of().iterator(), (k, r) -> { }));
    }

    @Test
    void digestSumsSignedHalves() {
        Digest d = new Digest();
        d.add("ffffffffffffffff0000000000000001");
        d.add("ffffffffffffffff0000000000000002");
        assertEquals("2:-2:3", d.value());
    }
}
