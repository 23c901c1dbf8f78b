package dev.archon.sync.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.archon.sync.delta.KeyOutcome.Carry;
import dev.archon.sync.delta.KeyOutcome.Conflict;
import org.junit.jupiter.api.Test;

/** Every case of the three-way truth table: base, local and remote each absent, the base's content, or new content. */
class ThreeWayTest {
    private static final String B = "b".repeat(32);
    private static final String X = "1".repeat(32);
    private static final String Y = "2".repeat(32);

    private static KeyOutcome withBase(String b, String l, String r) {
        return ThreeWay.classify(true, b, l, r);
    }

    @Test
    void unchangedOnBothSidesIsInSync() {
        assertEquals(KeyOutcome.IN_SYNC, withBase(B, B, B));
    }

    @Test
    void aChangeOnOneSideIsCarriedToTheOther() {
        assertEquals(new Carry(Side.REMOTE, ChangeKind.UPDATE), withBase(B, X, B));
        assertEquals(new Carry(Side.LOCAL, ChangeKind.UPDATE), withBase(B, B, X));
        assertEquals(new Carry(Side.REMOTE, ChangeKind.DELETE), withBase(B, null, B));
        assertEquals(new Carry(Side.LOCAL, ChangeKind.DELETE), withBase(B, B, null));
        assertEquals(new Carry(Side.REMOTE, ChangeKind.INSERT), withBase(null, X, null));
        assertEquals(new Carry(Side.LOCAL, ChangeKind.INSERT), withBase(null, null, X));
    }

    @Test
    void theSameChangeOnBothSidesIsNoConflict() {
        assertEquals(KeyOutcome.IN_SYNC, withBase(B, X, X));
        assertEquals(KeyOutcome.IN_SYNC, withBase(B, null, null));
        assertEquals(KeyOutcome.IN_SYNC, withBase(null, X, X));
    }

    @Test
    void differentChangesOnBothSidesAreConflicts() {
        assertEquals(new Conflict(ConflictKind.UPDATE_UPDATE), withBase(B, X, Y));
        assertEquals(new Conflict(ConflictKind.UPDATE_DELETE), withBase(B, X, null));
        assertEquals(new Conflict(ConflictKind.DELETE_UPDATE), withBase(B, null, X));
        assertEquals(new Conflict(ConflictKind.INSERT_INSERT), withBase(null, X, Y));
    }

    @Test
    void withoutABaseRowsOnOneSideAreCopiedAndNothingIsDeleted() {
        assertEquals(new Carry(Side.REMOTE, ChangeKind.INSERT), ThreeWay.classify(false, null, X, null));
        assertEquals(new Carry(Side.LOCAL, ChangeKind.INSERT), ThreeWay.classify(false, null, null, X));
        assertEquals(KeyOutcome.IN_SYNC, ThreeWay.classify(false, null, X, X));
        assertEquals(new Conflict(ConflictKind.INSERT_INSERT), ThreeWay.classify(false, null, X, Y));
        // a stale base hash handed in without a base is ignored: still a copy, never a delete
        assertEquals(new Carry(Side.REMOTE, ChangeKind.INSERT), ThreeWay.classify(false, B, B, null));
        assertThrows(IllegalArgumentException.class, () -> ThreeWay.classify(false, null, null, null));
    }

    @Test
    void resolvingAConflictWritesTheLosingSide() {
        KeyConflict updateDelete = new KeyConflict(new HashedRow(new String[] {"1"}, X), ConflictKind.UPDATE_DELETE, B, X, null);
        assertEquals(new Carry(Side.REMOTE, ChangeKind.INSERT), updateDelete.resolvedBy(Side.LOCAL));
        assertEquals(new Carry(Side.LOCAL, ChangeKind.DELETE), updateDelete.resolvedBy(Side.REMOTE));
        KeyConflict both = new KeyConflict(new HashedRow(new String[] {"1"}, X), ConflictKind.UPDATE_UPDATE, B, X, Y);
        assertEquals(new Carry(Side.REMOTE, ChangeKind.UPDATE), both.resolvedBy(Side.LOCAL));
        assertEquals(new Carry(Side.LOCAL, ChangeKind.UPDATE), both.resolvedBy(Side.REMOTE));
    }
}
