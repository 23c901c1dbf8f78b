package dev.archon.sync.engine;

import static dev.archon.sync.engine.EngineFixture.sql;

import dev.archon.sync.demo.ArchonDataset;
import dev.archon.sync.demo.Scale;
import dev.archon.sync.testing.TestServers.Version;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test (its name matches neither *Test nor *IT, so the suite does not run it):
 * where a changes-only sync stops being cheaper than a full copy, the crossover behind
 * {@link SyncMode#FULL_COPY_FRACTION}. Run it with
 * {@code mvn -B verify -Dtest=CrossoverMeasurement -Drows=3000 -Dsurefire.failIfNoSpecifiedTests=false}: it generates
 * the Archon-shaped dataset with {@code rows} crawled pages on two embedded servers, then for each
 * share of crawled pages changed (content and embedding) times one {@code --mode changes} and one
 * {@code --mode full} sync, each over a fresh change of that share, and prints one line per run.
 */
class CrossoverMeasurement {
    @Test
    void changesVersusFullCopy() {
        EngineFixture f = new EngineFixture(Version.PG15, Version.PG15, EngineFixture.tempDir());
        for (var db : List.of(f.local, f.remote)) {
            try (Connection c = db.open("generate")) {
                ArchonDataset.createSchema(c);
                ArchonDataset.generate(c, Scale.ofRows(Integer.getInteger("rows", 3000)));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        int round = 0;
        for (int pct : new int[] {1, 10, 25, 50, 75}) {
            for (SyncMode mode : new SyncMode[] {SyncMode.CHANGES, SyncMode.FULL}) {
                round++;
                sql(f.local, "UPDATE archon_crawled_pages SET content = content || ' r" + round + "', embedding_1536[1] = "
                        + round + " WHERE id % 100 < " + pct);
                long t0 = System.nanoTime();
                SyncResult r = f.engine.sync(f.request(Direction.LOCAL_TO_REMOTE).withMode(mode), SyncControl.create(),
                        SyncListener.NONE);
                System.out.printf("crossover: %2d%% of crawled pages changed, --mode %-7s %-9s %7.2f s, %d rows written%s%n",
                        pct, mode.value(), r.status(), (System.nanoTime() - t0) / 1e9, r.rows(),
                        r.errorMessage() == null ? "" : " (" + r.errorMessage() + ")");
            }
        }
    }
}
