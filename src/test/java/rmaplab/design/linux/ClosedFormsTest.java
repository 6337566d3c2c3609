package rmaplab.design.linux;

import static org.junit.jupiter.api.Assertions.*;
import static rmaplab.design.linux.LiveObjects.anonVmas;
import static rmaplab.design.linux.LiveObjects.avcs;
import static rmaplab.design.linux.LiveObjects.vmas;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.ledger.WalkFigures;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/**
 * The closed forms measured on the live 6.18.44 kernel with kmem tracepoint
 * counters (notes/kernel_oracle.md §1, slabcount.c scenarios a–e). The live
 * figures include M = 12 baseline VMAs with an anon_vma and 24 baseline VMAs
 * per process; a workload has none, so here M = 0 and the VMA baseline is 0.
 * Regions are one page each at even pages (holes between, so nothing merges).
 */
class ClosedFormsTest {
    static final long B = 0x1000;

    /** N faulted one-page regions in process P. */
    static Sim regions(String name, int n, boolean touch) {
        Sim s = new Sim(name).spawn("P");
        for (int i = 0; i < n; i++) s.mmap("P", B + 2L * i, 1);
        if (touch) for (int i = 0; i < n; i++) s.write("P", B + 2L * i, 1);
        return s;
    }

    /** Scenario a: one anon_vma and one AVC per VMA, made on the first write fault. */
    @Test
    void aTouchedRegions() {
        int n = 200;
        Sim s = regions("closed-a", n, true);
        s.assertLive(anonVmas(n), avcs(n), vmas(n));
        s.replay();
    }

    /** Scenario b: K forks of N faulted VMAs add K·N anon_vmas, 2·K·N AVCs, K·N VMAs. */
    @Test
    void bForkedKTimes() {
        int n = 100, k = 10;
        Sim s = regions("closed-b", n, true);
        LiveObjects before = s.objects();
        for (int c = 0; c < k; c++) s.fork("P", "C" + c);
        s.assertChange(before, anonVmas((long) k * n), avcs(2L * k * n), vmas((long) k * n));
        // a parent folio is mapped by all K+1 processes: the root's tree holds K+1 AVCs
        var w = s.walk("P", B);
        assertEquals(k + 1, w.visits());
        assertEquals(k + 1, w.hits());
        s.replay();
    }

    /**
     * Scenario c (the wangtao / linux-mm case, reduced): child k keeps only
     * region k. Each child is left with its own anon_vma and 2 AVCs (its own
     * and the parent's root) for the kept region.
     */
    @Test
    void cWangtaoAfterMunmaps() {
        int n = 50;
        Sim s = regions("closed-c", n, true);
        LiveObjects before = s.objects();
        for (int c = 0; c < n; c++) forkKeepOne(s, c, n);
        s.assertChange(before, anonVmas(n), avcs(2L * n), vmas(n));
        for (int c = 0; c < n; c++) {
            var w = s.walk("P", B + 2L * c);
            assertEquals(2, w.visits());
            assertEquals(2, w.hits());
        }
        s.replay();
    }

    static void forkKeepOne(Sim s, int c, int n) {
        String child = "C" + c;
        s.fork("P", child);
        // child k unmaps every region but region k (the holes between regions with them)
        if (c > 0) s.munmap(child, B, 2L * c);
        if (c < n - 1) s.munmap(child, B + 2L * c + 1, 2L * (n - c) - 1);
    }

    /**
     * Scenario d: a chain of D forks, each level CoW-writing every page before
     * forking the next. Level L's VMAs have chains of L+1 AVCs, so the levels
     * add D·N anon_vmas and N·Σ(L+1) = N·(D(D+1)/2 + D) AVCs.
     */
    @Test
    void dChainOfDepthD() {
        int n = 20, depth = 10;
        Sim s = regions("closed-d", n, true);
        LiveObjects before = s.objects();
        String parent = "P";
        for (int level = 1; level <= depth; level++) {
            String child = "L" + level;
            s.fork(parent, child);
            for (int i = 0; i < n; i++) s.write(child, B + 2L * i, 1); // CoW: no rmap objects
            parent = child;
        }
        s.assertChange(before, anonVmas((long) depth * n), avcs((long) n * (depth * (depth + 1) / 2 + depth)), vmas((long) depth * n));
        assertEquals(depth + 1, s.chain(parent, B));
        s.replay();
    }

    /** Scenario e: without a fault nothing is allocated, before or after forks. */
    @Test
    void eUntouched() {
        int n = 100, k = 10;
        Sim s = regions("closed-e", n, false);
        s.assertLive(anonVmas(0), avcs(0), vmas(n));
        for (int c = 0; c < k; c++) s.fork("P", "C" + c);
        s.assertLive(anonVmas(0), avcs(0), vmas((long) n * (k + 1)));
        s.replay();
    }

    /**
     * The linux-mm case at full size (Rik van Riel's 2010 AIM7 report, again
     * in the 2026 ANON_VMA_LAZY thread): 1000 one-page regions, all written,
     * 1000 forks where child k unmaps every region but k. Must finish in
     * seconds with a million VMA copies; prints the time. Counts: the parent's
     * 1000 anon_vmas and AVCs, and per child one anon_vma and two AVCs;
     * each parent folio's walk visits the parent's and one child's VMA.
     */
    @Test
    void linuxMmFullSize() throws Exception {
        int n = 1000;
        List<Op> ops = new ArrayList<>();
        ops.add(new Op.Spawn("P"));
        for (int i = 0; i < n; i++) ops.add(new Op.Mmap("P", B + 2L * i, 1, Prot.RW, MapKind.ANON));
        for (int i = 0; i < n; i++) ops.add(new Op.Touch("P", B + 2L * i, 1, true));
        for (int c = 0; c < n; c++) {
            String child = "C" + c;
            ops.add(new Op.Fork("P", child));
            if (c > 0) ops.add(new Op.Munmap(child, B, 2L * c));
            if (c < n - 1) ops.add(new Op.Munmap(child, B + 2L * c + 1, 2L * (n - c) - 1));
        }
        ops.add(new Op.Walk("P", B, 2L * n));
        long t0 = System.nanoTime();
        RunResult r = Runner.run(OpSource.of("linux-mm-1000", ops), "linux", MachineConfig.defaults(), CheckMode.END);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("linux-mm 1000 regions x 1000 forks (" + ops.size() + " ops, oracle at the end): " + ms + " ms");
        assertTrue(r.ok(), () -> r.violations() + " " + r.mapcountError());
        var types = r.ledgers().objects().types();
        assertEquals(2L * n, types.get(LinuxDesign.ANON_VMA).live());
        assertEquals(3L * n, types.get(LinuxDesign.AVC).live());
        assertEquals(2L * n, r.machine().liveVmas());
        // every fork copied n VMAs: n anon_vmas and 2n AVCs each, n-1 of each child's freed again
        assertEquals(n + (long) n * n, types.get(LinuxDesign.ANON_VMA).allocated());
        assertEquals(n + 2L * n * n, types.get(LinuxDesign.AVC).allocated());
        WalkFigures w = r.ledgers().walks();
        assertEquals(n, w.walks());
        assertEquals(2L * n, w.visits());
        assertEquals(2L * n, w.hits());
    }
}
