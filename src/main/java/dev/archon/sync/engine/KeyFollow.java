package dev.archon.sync.engine;

import dev.archon.sync.db.Sql;
import dev.archon.sync.delta.CopyText;
import dev.archon.sync.delta.HashedRow;
import dev.archon.sync.delta.Side;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Before a natural-key conflict's losing row is removed from the losing side, lets the rows that
 * reference it follow the winner's key where the schema allows it: when foreign keys declared
 * {@code ON UPDATE CASCADE} reference the table's (single-column) primary key, the losing row moves
 * to the winner's key on the losing side (inside its open transaction, under a savepoint, user
 * triggers of the tables touched off), so its children point at the winner's row; the merge of
 * the table is then done again and the row takes the winner's content. Without such a foreign key
 * nothing is moved: rows still referencing the loser are reported by the check before writing
 * (never cascaded away or broken).
 */
final class KeyFollow {
    private KeyFollow() {
    }

    /**
     * @return "old -> new" when the row moved, null when nothing was done (no cascading reference, a
     *         composite key, the winner's key taken on the losing side, or the loser's key present on the winning side)
     */
    static String follow(NaturalKeys.Decision d, Connection loc, Connection rem, MergeConstraints localConstraints,
            MergeConstraints remoteConstraints) throws SQLException {
        Side winner = d.winner();
        Side loser = winner.other();
        TablePlan t = d.collision().table();
        List<String> key = MergeApply.info(loser, t).key();
        MergeConstraints constraints = loser == Side.LOCAL ? localConstraints : remoteConstraints;
        List<MergeConstraints.Reference> cascading = constraints.foreignKeys().stream()
                .filter(r -> r.parent().name().equals(t.name()) && r.referenced().equals(key) && r.onUpdateCascade()).toList();
        if (key.size() != 1 || cascading.isEmpty()) {
            return null;
        }
        Connection self = loser == Side.LOCAL ? loc : rem;
        Connection other = loser == Side.LOCAL ? rem : loc;
        String table = MergeApply.info(loser, t).name().quoted();
        String column = Sql.ident(key.get(0));
        String type = Sql.queryString(self, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = ?::regclass"
                + " AND attname = ?", table, key.get(0));
        HashedRow from = loser == Side.LOCAL ? d.collision().local() : d.collision().remote();
        HashedRow to = loser == Side.LOCAL ? d.collision().remote() : d.collision().local();
        String oldValue = CopyText.unescape(from.key()[0]);
        String newValue = CopyText.unescape(to.key()[0]);
        String where = " WHERE " + column + " = ?::text::" + type;
        if (Sql.queryBoolean(self, "SELECT EXISTS (SELECT 1 FROM ONLY " + table + where + ")", newValue)
                || Sql.queryBoolean(other, "SELECT EXISTS (SELECT 1 FROM ONLY " + MergeApply.info(winner, t).name().quoted() + where
                + ")", oldValue)) {
            return null;
        }
        Set<String> touched = new LinkedHashSet<>();
        touched.add(t.name());
        cascading.forEach(r -> touched.add(r.child().name()));
        List<String> withTriggers = touched.stream().map(n -> constraints.foreignKeys().stream().map(MergeConstraints.Reference::child)
                .filter(p -> p.name().equals(n)).findFirst().orElse(t)).filter(p -> MergeApply.info(loser, p).userTriggers())
                .map(p -> MergeApply.info(loser, p).name().quoted()).distinct().toList();
        Savepoint sp = self.setSavepoint();
        try {
            for (String q : withTriggers) {
                Sql.execute(self, "ALTER TABLE " + q + " DISABLE TRIGGER USER");
            }
            Sql.update(self, "UPDATE ONLY " + table + " SET " + column + " = ?::text::" + type + where, newValue, oldValue);
            for (String q : withTriggers) {
                Sql.execute(self, "ALTER TABLE " + q + " ENABLE TRIGGER USER");
            }
            self.releaseSavepoint(sp);
        } catch (SQLException e) {
            self.rollback(sp);
            return null;
        }
        return oldValue + " -> " + newValue + " on the " + MergeApply.label(loser) + " database";
    }
}
