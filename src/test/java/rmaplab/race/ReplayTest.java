package rmaplab.race;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.workload.WorkloadException;

/** Counterexamples replay step by step, runs are deterministic, #race lines are checked. */
class ReplayTest {
    @Test void aCounterexampleReplaysToTheSameViolation() throws Exception {
        RaceFile f = RaceFile.read(Path.of("examples/race/split-vs-walk.rmw"));
        List<String> bugs = List.of("own-lock");
        Explorer.Result r = new Explorer(f, Race.factory("linux", bugs), null).bounded(2, 20000);
        String text = Race.counterexample(f, "linux", bugs, r);
        RaceFile ce = RaceFile.parse("ce.rmw", text);
        assertEquals("linux", ce.design());
        assertEquals(bugs, ce.bugs());
        assertEquals(r.shrunk().switches(), ce.switches());
        Execution run = new Explorer(ce, Race.factory(ce.design(), ce.bugs()), null).replay(new Schedule(ce.switches()));
        assertEquals(r.violations().get(0).kind(), run.violations().get(0).kind());
        // every step names its task, its kernel function and what it held
        assertTrue(run.trace().stream().allMatch(s -> s.task() != null && s.fn() != null && s.held() != null));
        // without the bug option the same schedule is clean
        Execution fixed = new Explorer(ce, Race.factory("linux", List.of()), null).replay(new Schedule(ce.switches()));
        assertTrue(fixed.violations().isEmpty(), fixed.violations().toString());
    }

    @Test void pctIsAFunctionOfTheSeed() throws Exception {
        RaceFile f = RaceFile.read(Path.of("examples/race/walk-vs-munmap.rmw"));
        Explorer.Result a = new Explorer(f, Race.factory("linux", List.of("own-lock")), null).pct(200, 3, 7);
        Explorer.Result b = new Explorer(f, Race.factory("linux", List.of("own-lock")), null).pct(200, 3, 7);
        assertEquals(a.schedules(), b.schedules());
        assertEquals(a.violations(), b.violations());
        assertEquals(a.shrunk(), b.shrunk());
    }

    @Test void badRaceLinesAreFileLineErrors() {
        String w = "rmaplab-workload 1\nP spawn\n";
        assertEquals("x:1: #race switch: expected POINT TASK",
                assertThrows(WorkloadException.class, () -> RaceFile.parse("x", "#race switch 3\n" + w)).getMessage());
        assertEquals("x:2: #race switch: bad POINT 'q'",
                assertThrows(WorkloadException.class, () -> RaceFile.parse("x", "# c\n#race switch q P\n" + w)).getMessage());
        assertEquals("x:1: unknown #race line 'fly' (design, bug, switch)",
                assertThrows(WorkloadException.class, () -> RaceFile.parse("x", "#race fly\n" + w)).getMessage());
    }
}
