package rmaplab.race;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import rmaplab.workload.WorkloadException;

/**
 * The shipped race examples: the linux model explores clean on every one
 * (every schedule with at most two switches), and each historical bug option
 * is found on its example and not without it. docs/races.md shows the
 * commands that print the same.
 */
class RaceExamplesTest {
    static final Path DIR = Path.of("examples/race");

    static List<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".rmw")).sorted().toList();
        }
    }

    static Explorer.Result explore(Path p, String design, List<String> bugs) throws IOException, WorkloadException {
        RaceFile f = RaceFile.read(p);
        Race.validate(f);
        return new Explorer(f, Race.factory(design, bugs), null).bounded(2, 20000);
    }

    @Test void atLeastTenExamplesCoverTheOpsTheIssueNames() throws IOException {
        List<Path> l = examples();
        assertTrue(l.size() >= 10, l.toString());
        String all = String.join(" ", l.stream().map(p -> p.getFileName().toString()).toList());
        for (String op : List.of("fork", "exit", "munmap", "split", "mremap", "merge", "migrate"))
            assertTrue(all.contains(op), "no example of " + op + ": " + all);
    }

    @Test void linuxIsCleanOnEveryExample() throws Exception {
        for (Path p : examples()) {
            Explorer.Result r = explore(p, "linux", List.of());
            assertTrue(r.clean(), p + ": " + r.violations());
            assertTrue(r.complete(), p + ": not every schedule within the bound ran");
            assertTrue(r.schedules() > 10, p + ": " + r.schedules() + " schedules");
        }
    }

    /** 012f18004da3: a split that locks its own anon_vma lets a walk of the parent's folio miss the child's mapping. */
    @Test void ownLockMissesMappings() throws Exception {
        Explorer.Result merge = explore(DIR.resolve("merge-vs-walk.rmw"), "linux", List.of("own-lock"));
        assertEquals(RaceViolation.Kind.MISSED, merge.violations().get(0).kind(), merge.violations().toString());
        Explorer.Result munmap = explore(DIR.resolve("walk-vs-munmap.rmw"), "linux", List.of("own-lock"));
        assertEquals(RaceViolation.Kind.MISSED, munmap.violations().get(0).kind(), munmap.violations().toString());
        Explorer.Result split = explore(DIR.resolve("split-vs-walk.rmw"), "linux", List.of("own-lock"));
        assertFalse(split.clean());
    }

    /** d9d332e0874f: a new anon_vma linked without its lock races a walker that locked the reused object. */
    @Test void prepareUnlockedIsADataRace() throws Exception {
        Explorer.Result r = explore(DIR.resolve("prepare-vs-walk.rmw"), "linux", List.of("prepare-unlocked"));
        assertEquals(RaceViolation.Kind.DATA_RACE, r.violations().get(0).kind(), r.violations().toString());
        assertTrue(r.violations().get(0).message().contains("anon_vma_chain_link"), r.violations().toString());
        assertTrue(r.shrunk().size() <= 2, "shrunk to " + r.shrunk());
    }

    /** The COW context PoC's walk holds rcu_read_lock while try_to_migrate_one may sleep (its author's own TODO). */
    @Test void cowContextSleepsInItsRcuWalk() throws Exception {
        Explorer.Result r = explore(DIR.resolve("migrate-vs-fork.rmw"), "cowctx", List.of());
        assertEquals(RaceViolation.Kind.RCU_SLEEP, r.violations().get(0).kind(), r.violations().toString());
        assertEquals(0, r.shrunk().size(), "no switch needed: any migration of a mapped folio sleeps");
    }
}
