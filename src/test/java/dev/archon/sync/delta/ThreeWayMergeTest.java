package dev.archon.sync.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ThreeWayMergeTest {
    private static final KeyOrder INT = new KeyOrder(List.of(KeyKind.INTEGER));

    private static HashedRow r(long key, char hash) {
        return new HashedRow(new String[] {Long.toString(key)}, String.valueOf(hash).repeat(32));
    }

    /** base 1..6; local: 2 updated, 3 deleted, 5 updated, 6 updated, 7 inserted; remote: 4 updated, 5 updated alike, 6 deleted, 8 inserted. */
    private static final List<HashedRow> BASE = List.of(r(1, 'a'), r(2, 'b'), r(3, 'c'), r(4, 'd'), r(5, 'e'), r(6, 'f'));
    private static final List<HashedRow> LOCAL = List.of(r(1, 'a'), r(2, '2'), r(4, 'd'), r(5, '5'), r(6, '6'), r(7, '7'));
    private static final List<HashedRow> REMOTE = List.of(r(1, 'a'), r(2, 'b'), r(3, 'c'), r(4, '4'), r(5, '5'), r(8, '8'));

    private static TableMerge merge(ConflictPolicy policy, List<String> seen) {
        return ThreeWayMerge.merge(INT, true, BASE.iterator(), LOCAL.iterator(), REMOTE.iterator(), policy,
                (side, kind, key) -> seen.add(side + " " + kind + " " + key.keyLine()));
    }

    @Test
    void carriesEachSidesChangesAndCollectsConflicts() {
        List<String> seen = new ArrayList<>();
        TableMerge m = merge(ConflictPolicy.FAIL, seen);
        assertEquals(List.of("REMOTE UPDATE 2", "REMOTE DELETE 3", "LOCAL UPDATE 4", "REMOTE INSERT 7", "LOCAL INSERT 8"), seen);
        assertEquals(new SideCounts(1, 1, 0), m.toLocal());
        assertEquals(new SideCounts(1, 1, 1), m.toRemote());
        assertEquals(2, m.inSync());
        assertEquals(6, m.baseRows());
        assertEquals(1, m.unresolved().size());
        KeyConflict c = m.unresolved().get(0);
        assertEquals("6", c.key().keyLine());
        assertEquals(ConflictKind.UPDATE_DELETE, c.kind());
        // merged: 1, 2(local), 4(remote), 5, 7, 8 -- the conflicting 6 not counted
        assertEquals(6, m.mergedRows());
        assertFalse(m.massDelete());
    }

    @Test
    void aFixedWinnerResolvesConflictsInTheStream() {
        List<String> seen = new ArrayList<>();
        TableMerge local = merge(ConflictPolicy.LOCAL, seen);
        assertTrue(local.unresolved().isEmpty());
        assertEquals(1, local.resolved().size());
        assertTrue(seen.contains("REMOTE INSERT 6"));
        assertEquals(7, local.mergedRows());
        seen.clear();
        TableMerge remote = merge(ConflictPolicy.REMOTE, seen);
        assertTrue(seen.contains("LOCAL DELETE 6"));
        assertEquals(6, remote.mergedRows());
        assertEquals(new SideCounts(1, 1, 1), remote.toLocal());
    }

    @Test
    void mergedDigestEqualsTheDigestOfTheResolvedResult() {
        TableMerge m = merge(ConflictPolicy.LOCAL, new ArrayList<>());
        Digest expected = new Digest();
        for (char h : new char[] {'a', '2', '4', '5', '6', '7', '8'}) {
            expected.add(String.valueOf(h).repeat(32));
        }
        assertEquals(expected.value(), m.mergedDigest());
        TableMerge later = merge(ConflictPolicy.FAIL, new ArrayList<>());
        TableMerge resolved = later.resolve(List.of(new Resolution(later.unresolved().get(0), Side.LOCAL)));
        assertEquals(expected.value(), resolved.mergedDigest());
        assertEquals(local(m), local(resolved));
    }

    @Test
    void eachSidesChecksumAfterTheApplyFollowsFromWhatItReplacesAndWhatIsWritten() {
        for (ConflictPolicy policy : List.of(ConflictPolicy.LOCAL, ConflictPolicy.REMOTE)) {
            TableMerge m = merge(policy, new ArrayList<>());
            // local before: a 2 d 5 6 7; it receives remote's 4 (replacing d) and 8, and, when remote wins, loses 6
            assertEquals(digest(LOCAL), m.digests(Side.LOCAL).before());
            assertEquals(digest(REMOTE), m.digests(Side.REMOTE).before());
            String localReplaced = policy == ConflictPolicy.LOCAL ? digest(List.of(r(4, 'd')))
                    : digest(List.of(r(4, 'd'), r(6, '6')));
            assertEquals(localReplaced, m.digests(Side.LOCAL).replaced());
            // remote receives 2 (replacing b), loses 3 (c), gets 7, and 6 when local wins
            assertEquals(digest(List.of(r(2, 'b'), r(3, 'c'))), m.digests(Side.REMOTE).replaced());
            List<HashedRow> writtenOnLocal = List.of(r(4, '4'), r(8, '8'));
            List<HashedRow> writtenOnRemote = policy == ConflictPolicy.LOCAL ? List.of(r(2, '2'), r(6, '6'), r(7, '7'))
                    : List.of(r(2, '2'), r(7, '7'));
            assertEquals(m.mergedDigest(), m.digests(Side.LOCAL).after(digest(writtenOnLocal)), policy.name());
            assertEquals(m.mergedDigest(), m.digests(Side.REMOTE).after(digest(writtenOnRemote)), policy.name());
        }
    }

    @Test
    void aLaterResolutionCountsTheLosersRowAsReplaced() {
        TableMerge later = merge(ConflictPolicy.FAIL, new ArrayList<>());
        assertEquals(digest(List.of(r(4, 'd'))), later.digests(Side.LOCAL).replaced());
        TableMerge resolved = later.resolve(List.of(new Resolution(later.unresolved().get(0), Side.REMOTE)));
        assertEquals(merge(ConflictPolicy.REMOTE, new ArrayList<>()).digests(Side.LOCAL), resolved.digests(Side.LOCAL));
        assertEquals(later.digests(Side.REMOTE), resolved.digests(Side.REMOTE));
    }

    private static String digest(List<HashedRow> rows) {
        Digest d = new Digest();
        rows.forEach(row -> d.add(row.hash()));
        return d.value();
    }

    private static List<SideCounts> local(TableMerge m) {
        return List.of(m.toLocal(), m.toRemote());
    }

    @Test
    void newerPicksTheLaterTimestampAndKeepsADeletedRowsSurvivor() {
        KeyConflict both = new KeyConflict(r(1, 'x'), ConflictKind.UPDATE_UPDATE, "b", "l", "r");
        Instant early = Instant.parse("2026-01-01T00:00:00Z");
        Instant late = Instant.parse("2026-01-02T00:00:00Z");
        assertEquals(Optional.of(Side.REMOTE), ConflictPolicy.newer(both, early, late));
        assertEquals(Optional.of(Side.LOCAL), ConflictPolicy.newer(both, late, early));
        assertEquals(Optional.empty(), ConflictPolicy.newer(both, late, late));
        assertEquals(Optional.empty(), ConflictPolicy.newer(both, null, late));
        KeyConflict deleted = new KeyConflict(r(1, 'x'), ConflictKind.DELETE_UPDATE, "b", null, "r");
        assertEquals(Optional.of(Side.REMOTE), ConflictPolicy.newer(deleted, null, early));
    }

    @Test
    void withoutABaseNothingIsDeleted() {
        List<String> seen = new ArrayList<>();
        TableMerge m = ThreeWayMerge.merge(INT, false, BASE.iterator(), LOCAL.iterator(), REMOTE.iterator(), ConflictPolicy.FAIL,
                (side, kind, key) -> seen.add(side + " " + kind + " " + key.keyLine()));
        assertEquals(List.of("LOCAL INSERT 3", "REMOTE INSERT 6", "REMOTE INSERT 7", "LOCAL INSERT 8"), seen);
        assertEquals(List.of("2", "4"), m.unresolved().stream().map(c -> c.key().keyLine()).toList());
        assertTrue(m.unresolved().stream().allMatch(c -> c.kind() == ConflictKind.INSERT_INSERT));
        assertEquals(0, m.baseRows());
        assertFalse(m.massDelete());
    }

    @Test
    void deletingMoreThanHalfOfTheBaseIsAMassDelete() {
        List<HashedRow> base = List.of(r(1, 'a'), r(2, 'b'), r(3, 'c'), r(4, 'd'));
        TableMerge wiped = ThreeWayMerge.merge(INT, true, base.iterator(), List.<HashedRow>of().iterator(), base.iterator(),
                ConflictPolicy.FAIL, (s, k, key) -> { });
        assertEquals(4, wiped.toRemote().deletes());
        assertTrue(wiped.massDelete());
        TableMerge half = ThreeWayMerge.merge(INT, true, base.iterator(), base.subList(0, 2).iterator(), base.iterator(),
                ConflictPolicy.FAIL, (s, k, key) -> { });
        assertFalse(half.massDelete());
    }

    @Test
    void labelsReadAsUsersWriteThem() {
        assertEquals("update/delete", ConflictKind.UPDATE_DELETE.label());
        assertEquals(ConflictPolicy.NEWER, ConflictPolicy.parse(" Newer"));
    }

    @Test
    void forcedKeysTakeTheWinnersVersionOfBothKeysEvenWithoutABase() {
        // a natural-key pair: local row 1 and remote row 2 are one logical row; the remote wins both keys
        List<String> seen = new ArrayList<>();
        TableMerge m = ThreeWayMerge.merge(INT, false, List.<HashedRow>of().iterator(), List.of(r(1, 'a'), r(3, 'c')).iterator(),
                List.of(r(2, 'b')).iterator(), ConflictPolicy.FAIL, java.util.Map.of("1", Side.REMOTE, "2", Side.REMOTE),
                (side, kind, key) -> seen.add(side + " " + kind + " " + key.keyLine()));
        assertEquals(List.of("LOCAL DELETE 1", "LOCAL INSERT 2", "REMOTE INSERT 3"), seen, "without a base a delete is only ever forced");
        assertEquals(2, m.resolved().size());
        assertTrue(m.resolved().stream().allMatch(r -> r.conflict().kind() == ConflictKind.NATURAL_KEY));
        assertTrue(m.unresolved().isEmpty());
        assertEquals(0, m.inferredDeletes(), "a resolution is not weighed by the mass-deletion guard");
        assertEquals(2, m.mergedRows());
        assertEquals("natural key", ConflictKind.NATURAL_KEY.label());
    }
}
