package rmaplab.oracle;

import rmaplab.rmap.DesignInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import rmaplab.design.pv.PvDesign;
import rmaplab.sim.AnonMerge;
import rmaplab.sim.DesignContext;
import rmaplab.rmap.Designs;
import rmaplab.sim.RmapDesign;
import rmaplab.sim.WalkSink;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.Mm;
import rmaplab.sim.Process;
import rmaplab.sim.Vma;
import rmaplab.sim.VmaChange;
import rmaplab.workload.Op;
import rmaplab.testing.Scenario;

/**
 * The random sequences, the oracle and the shrinker together catch a design
 * that is wrong: pv that forgets every mapping mremap moves (it ignores the
 * PTEs mapped during an mremap op, as a design would that did not follow
 * move_page_tables). The design is built here and run by its entry; it is
 * never put in the global registry.
 */
class BrokenDesignTest {
    /**
     * pv, except that PTEs mapped while an mremap runs are not recorded (and
     * so, quietly, not withdrawn either when they go): the design never
     * fails by itself, only its walks miss.
     */
    static final class ForgetsMremap implements RmapDesign {
        private record Mapping(int folio, Mm mm, long vpage) {}

        private final DesignContext ctx;
        private final PvDesign pv;
        private final Set<Mapping> forgotten = new HashSet<>();

        ForgetsMremap(DesignContext ctx) {
            this.ctx = ctx;
            this.pv = new PvDesign(ctx);
        }

        @Override public void pteMapped(int folio, Vma vma, long vpage) {
            if (ctx.ledgers().ctx.op().equals("mremap")) forgotten.add(new Mapping(folio, vma.mm(), vpage));
            else pv.pteMapped(folio, vma, vpage);
        }

        @Override public void pteUnmapped(int folio, Vma vma, long vpage) {
            if (!forgotten.remove(new Mapping(folio, vma.mm(), vpage))) pv.pteUnmapped(folio, vma, vpage);
        }

        @Override public long vmaGrowthBytes() { return pv.vmaGrowthBytes(); }
        @Override public void vmaPrepare(VmaChange c) { pv.vmaPrepare(c); }
        @Override public void vmaComplete(VmaChange c) { pv.vmaComplete(c); }
        @Override public void mmCreated(Mm mm) { pv.mmCreated(mm); }
        @Override public void mmDestroyed(Mm mm) { pv.mmDestroyed(mm); }
        @Override public void forkStart(Mm parent, Mm child) { pv.forkStart(parent, child); }
        @Override public void forkVma(Vma parent, Vma child) { pv.forkVma(parent, child); }
        @Override public void forkEnd(Mm parent, Mm child) { pv.forkEnd(parent, child); }
        @Override public void noFork(Process p) { pv.noFork(p); }
        @Override public void anonPrepare(Vma vma) { pv.anonPrepare(vma); }
        @Override public void newAnonFolio(int folio, Vma vma, long vpage, boolean exclusive) { pv.newAnonFolio(folio, vma, vpage, exclusive); }
        @Override public void reuseAnonFolio(int folio, Vma vma, long vpage) { pv.reuseAnonFolio(folio, vma, vpage); }
        @Override public void folioFreed(int folio) {
            forgotten.removeIf(m -> m.folio() == folio);
            pv.folioFreed(folio);
        }
        @Override public void folioMigrated(int oldFolio, int newFolio) { pv.folioMigrated(oldFolio, newFolio); }
        @Override public boolean isMergeableAnon(AnonMerge q) { return pv.isMergeableAnon(q); }
        @Override public boolean isMergeableAnonBoth(Vma prev, Vma next) { return pv.isMergeableAnonBoth(prev, next); }
        @Override public void walk(int folio, WalkSink sink) { pv.walk(folio, sink); }
    }

    static final DesignInfo BROKEN = DesignInfo.of("pv-forgets-mremap", 0,
            "pv that drops the mappings mremap moves (test only)", ForgetsMremap::new);

    /** Seeds tried at most before the random test must have caught the broken design. */
    static final int MAX_SEEDS = 50;

    @Test
    void randomSequencesCatchAndShrinkABrokenDesign() throws Exception {
        Shrinker.Counterexample cx = null;
        int tried = 0;
        for (long seed = 1; seed <= MAX_SEEDS && cx == null; seed++) {
            tried++;
            List<Op> ops = RandomSequenceTest.ops(seed);
            MachineConfig cfg = RandomSequenceTest.config(seed);
            Sequences.Failure f = Sequences.check(BROKEN, cfg, ops);
            if (f != null) cx = Shrinker.shrink(BROKEN, cfg, seed, ops, f);
        }
        assertNotNull(cx, "no violation in " + MAX_SEEDS + " random sequences");
        System.out.println("the broken design was caught after " + tried + " seed(s):\n" + cx.message());
        assertTrue(cx.shrunk().size() <= 8, "shrunk to " + cx.shrunk().size() + " ops, not at most 8:\n" + cx.message());
        assertTrue(cx.originalLength() > cx.shrunk().size());
        // the shrunk sequence replays: the same failure again, both from the ops and from the printed workload
        Sequences.Failure again = Sequences.check(BROKEN, cx.config(), cx.shrunk());
        assertTrue(cx.failure().sameWay(again), "does not replay: " + again);
        List<Op> reread = Scenario.of("shrunk", cx.workload()).ops();
        assertEquals(cx.shrunk(), reread);
        assertTrue(cx.failure().sameWay(Sequences.check(BROKEN, cx.config(), reread)));
        // and pv itself is clean on it
        assertNull(Sequences.check(Designs.get("pv"), cx.config(), cx.shrunk()));
    }

    /**
     * The counterexample the test above printed (seed 1: 235 ops shrunk to
     * 5), pinned. A page of a private file mapping is moved out, written
     * there (a new anonymous CoW folio, mapped outside any mremap) and moved
     * back into its hole: the broken design forgets it, and the walk of the
     * folio finds nothing of its one mapping.
     */
    static final String SHRUNK = """
            rmaplab-workload 1
            # random sequence seed 1 on design pv-forgets-mremap, shrunk from 235 ops; zero page on, stack guard gap 1 pages; VIOLATION
            P0 spawn
            P0 mmap 0x164 0x5 rw- file=data.bin@100
            P0 mremap 0x167 0x2 0x15a 0x2
            P0 touch 0x15a 0x1 write
            P0 mremap 0x15a 0x2 0x167 0x2
            """;

    @Test
    void regressionForgetsMremappedPage() throws Exception {
        List<Op> ops = Scenario.of("pinned", SHRUNK).ops();
        assertEquals(5, ops.size());
        MachineConfig cfg = RandomSequenceTest.config(1);
        Sequences.Failure f = Sequences.check(BROKEN, cfg, ops);
        assertNotNull(f, "the broken design passed the pinned counterexample");
        assertEquals(Sequences.Kind.VIOLATION, f.kind());
        assertTrue(f.description().startsWith("after op 5 (P0 mremap 0x15a 0x2 0x167 0x2), sweep of folio 1: "
                + "mapcount 1, found 0 in 0 visits, MISSED 1"), f.description());
        // four ops are clean: the violation comes with the mremap
        assertNull(Sequences.check(BROKEN, cfg, ops.subList(0, 4)));
        assertNull(Sequences.check(Designs.get("pv"), cfg, ops));
    }
}
