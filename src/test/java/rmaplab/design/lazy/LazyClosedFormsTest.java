package rmaplab.design.lazy;

import static org.junit.jupiter.api.Assertions.*;
import static rmaplab.design.lazy.LazySupport.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import rmaplab.gen.Generator;
import rmaplab.gen.Generators;
import org.junit.jupiter.api.Test;
import rmaplab.run.CheckMode;
import rmaplab.run.Ran;
import rmaplab.workload.Op;

/**
 * Object counts of lazy against linux on the fork-server family, in closed
 * form: a server with S written VMAs, A apps alive at the end (A + R forked,
 * R exited), each with V VMAs of its own, written, and never forking.
 * linux: S + A·(S + V) anon_vmas, S + A·(2S + V) AVCs. lazy: S anon_vmas (the
 * server's, made by the upgrade at its first fork), S + A·S AVCs (each app's
 * inherited VMAs are tree-parent: one cloned AVC each, no anon_vma; its own
 * VMAs are lazy: nothing).
 */
class LazyClosedFormsTest {
    private static List<Op> forkServer(long s, long a, long r, long v) {
        Generator g = Generators.get("fork-server");
        Map<String, Long> p = g.resolve(Map.of("server-vmas", "" + s, "apps", "" + a, "replacements", "" + r,
                "app-vmas", "" + v));
        List<Op> ops = new ArrayList<>();
        g.generate(p, ops::add);
        return ops;
    }

    @Test
    void forkServer() {
        long s = 20, a = 5, r = 5, v = 10;
        List<Op> ops = forkServer(s, a, r, v);
        Ran lin = run(ops, "linux", CheckMode.WALKS), lazy = run(ops, "lazy", CheckMode.WALKS);
        assertTrue(lin.ok());
        assertTrue(lazy.ok());
        assertEquals(s + a * (s + v), live(lin, "anon_vma"));
        assertEquals(s + a * (2 * s + v), live(lin, "anon_vma_chain"));
        assertEquals(s, live(lazy, "anon_vma"));
        assertEquals(s + a * s, live(lazy, "anon_vma_chain"));
        assertEquals(s, allocated(lazy, "anon_vma")); // nothing freed and made again: apps never allocate one
        assertEquals(s + (a + r) * s, allocated(lazy, "anon_vma_chain"));
        assertEquals(s, design(lazy).upgrades()); // the first fork only
        // the walks of the server's folios visit the same VMAs in both
        assertEquals(lin.ledgers().walks().visits(), lazy.ledgers().walks().visits());
        assertEquals(lin.ledgers().walks().hits(), lazy.ledgers().walks().hits());
    }
}
