package rmaplab.design.leaf;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rmaplab.gen.Generator;
import rmaplab.gen.Generators;
import rmaplab.rmap.Designs;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.Op;

/** The fork-server generator's nofork parameter, and the three designs' counts on it in closed form. */
class ForkServerLeafTest {
    static List<Op> forkServer(String nofork) {
        Generator g = Generators.get("fork-server");
        Map<String, Long> p = g.resolve(Map.of("server-vmas", "12", "apps", "5", "replacements", "0", "app-vmas", "7",
                "nofork", nofork));
        List<Op> ops = new ArrayList<>();
        g.generate(p, ops::add);
        return ops;
    }

    @Test
    void noforkOneMakesEveryAppPromiseRightAfterItsFork() {
        List<Op> ops = forkServer("1");
        int forks = 0;
        for (int i = 0; i < ops.size(); i++)
            if (ops.get(i) instanceof Op.Fork f) {
                forks++;
                assertEquals(new Op.NoFork(f.child()), ops.get(i + 1));
            }
        assertEquals(5, forks);
        assertTrue(forkServer("0").stream().noneMatch(o -> o instanceof Op.NoFork));
        // the parameter adds the promises and nothing else
        assertEquals(forkServer("0"), forkServer("1").stream().filter(o -> !(o instanceof Op.NoFork)).toList());
    }

    static long[] endCounts(String design, List<Op> ops) throws Exception {
        RunResult r = Runner.run(OpSource.of("fs", ops), Designs.get(design), MachineConfig.defaults(), CheckMode.END);
        assertTrue(r.ok(), design);
        var t = r.ledgers().objects().types();
        return new long[] {t.get("anon_vma").live(), t.get("anon_vma_chain").live()};
    }

    @Test
    void countsInClosedForm() throws Exception {
        long s = 12, a = 5, v = 7;
        List<Op> promised = forkServer("1"), plain = forkServer("0");
        // linux: the server's S anon_vmas; each app: an own anon_vma per inherited VMA (2 AVCs each) and per new VMA (1)
        assertArrayEquals(new long[] {s + a * (s + v), s + a * (2 * s + v)}, endCounts("linux", promised));
        // linux-nofork: the fork is linux's; the app's own VMAs, faulted after the promise, need nothing
        assertArrayEquals(new long[] {s + a * s, s + a * 2 * s}, endCounts("linux-nofork", promised));
        assertArrayEquals(endCounts("linux", plain), endCounts("linux-nofork", plain));
        // leaf-bound, with or without promises: the apps never fork; each inherited VMA only links to the server's
        assertArrayEquals(new long[] {s, s + a * s}, endCounts("leaf-bound", promised));
        assertArrayEquals(new long[] {s, s + a * s}, endCounts("leaf-bound", plain));
    }
}
