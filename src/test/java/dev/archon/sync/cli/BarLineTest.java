package dev.archon.sync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.engine.SyncListener.Progress;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The terminal bar at 80 and 120 columns: never wider, the bar never collapses, numbers never cut, one percentage. */
class BarLineTest {
    private static final Pattern BAR = Pattern.compile("^\\[([#-]+)\\] +(\\d+)%");

    private static List<Progress> samples() {
        String longTable = "public.archon_crawled_pages_with_a_really_long_partition_name_2026";
        return List.of(
                new Progress("export", "public.archon_sources", 1_234_567, 0, 2, 0, "waiting for locks", "public.archon_sources", 0, null),
                new Progress("export", longTable, 98_765_432, 0, 7, 0, "writing the backup", null, 0, null),
                new Progress("import", longTable, 98_765_432, 45_678_901, 44, 12_345_678_901L, "copying", null, 123.4e6, 3_725L),
                new Progress("import", "public.archon_tasks", 100, 100, 85, 1_000, "copying", null, 0, 0L),
                new Progress("indexing", null, 98_765_432, 98_765_432, 88, 12_345_678_901L, "rebuilding indexes", null, 0, null),
                new Progress("verification", longTable, 98_765_432, 98_765_432, 99, 12_345_678_901L, "verifying", null, 0, null));
    }

    @Test
    void fitsEightyAndOneHundredTwentyColumnsWithoutGarbling() {
        for (int width : new int[] {80, 120}) {
            for (Progress p : samples()) {
                String line = BarLine.render(p, width);
                assertTrue(line.length() <= width - 1, width + ": " + line.length() + " > " + (width - 1) + ": " + line);
                Matcher m = BAR.matcher(line);
                assertTrue(m.find(), "the bar is drawn: " + line);
                assertTrue(m.group(1).length() >= BarLine.MIN_BAR, "the bar keeps at least " + BarLine.MIN_BAR + ": " + line);
                assertEquals(p.percent(), Integer.parseInt(m.group(2)), line);
                assertEquals(1, line.chars().filter(c -> c == '%').count(), "one percentage: " + line);
                assertTrue(line.contains(p.step()), "the step is shown: " + line);
                String rows = String.format(java.util.Locale.ROOT, "%,d/%,d rows", p.syncedRows(), p.totalRows());
                // the rows figure is shown whole at 120 columns, and never cut (whole or absent) at 80
                assertTrue(width == 80 ? line.contains(rows) || !line.contains(" rows") : line.contains(rows), line);
            }
        }
    }

    @Test
    void showsTheTableWaitedOnAndTimeLeftWhenThereIsRoom() {
        Progress waiting = samples().get(0);
        assertTrue(BarLine.render(waiting, 120).contains("waiting for locks public.archon_sources"), BarLine.render(waiting, 120));
        Progress copying = samples().get(2);
        String line = BarLine.render(copying, 120);
        assertTrue(line.contains("1 h 2 min left") && line.contains("117.7 MB/s"), line);
        assertTrue(line.contains("…"), "a long table name is shortened, not the numbers: " + line);
    }
}
