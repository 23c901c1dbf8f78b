package dev.archon.sync.engine;

import dev.archon.sync.db.Sql;
import dev.archon.sync.schema.SequenceLink;
import dev.archon.sync.schema.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * After a merge, every sequence a merged table owns is moved past every value used on either side:
 * both sides get the greatest of the two sequences' positions and the column's maximum. Never moves
 * a sequence back.
 */
final class SequenceMerge {
    private SequenceMerge() {
    }

    /** Sets the sequences on both open transactions; returns sequence to the value both now hold. */
    static Map<String, Long> apply(Connection loc, Connection rem, List<TablePlan> tables) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (TablePlan t : tables) {
            for (SequenceLink l : t.source().sequences()) {
                SequenceLink r = t.target().sequences().stream().filter(s -> s.column().equals(l.column())).findFirst().orElse(null);
                if (r == null) {
                    continue;
                }
                long value = Math.max(Math.max(position(loc, l.sequence()), position(rem, r.sequence())),
                        Math.max(max(loc, t.source(), l.column()), max(rem, t.target(), r.column())));
                if (value > 0) {
                    Sql.queryString(loc, "SELECT setval('" + l.sequence().replace("'", "''") + "', ?, true)::text", value);
                    Sql.queryString(rem, "SELECT setval('" + r.sequence().replace("'", "''") + "', ?, true)::text", value);
                }
                out.put(l.sequence(), value);
            }
        }
        return out;
    }

    /** The sequences that do not hold the expected value on {@code c}. */
    static List<String> check(Connection c, Map<String, Long> expected, String label, RunContext run) throws SQLException {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            boolean ok = e.getValue() == 0 || position(c, e.getKey()) == e.getValue();
            run.sequences.put(e.getKey() + " (" + label + ")", ok);
            if (!ok) {
                wrong.add("sequence " + e.getKey() + " on the " + label + " database");
            }
        }
        return wrong;
    }

    /** The last value handed out (0 when none was). */
    private static long position(Connection c, String sequence) throws SQLException {
        return Sql.queryBoolean(c, "SELECT is_called FROM " + sequence) ? Sql.queryLong(c, "SELECT last_value FROM " + sequence) : 0;
    }

    private static long max(Connection c, TableInfo t, String column) throws SQLException {
        return Sql.queryLong(c, "SELECT coalesce(max(" + Sql.ident(column) + "), 0)::bigint FROM ONLY " + t.name().quoted());
    }
}
