package rmaplab.design.linux;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import rmaplab.workload.Advice;
import rmaplab.workload.Prot;

/**
 * The eight model cases of notes/anon_vma.md §6.4, each derived there from
 * mm/rmap.c and mm/vma.c (no kernel test of their own): the change in live
 * (anon_vma, anon_vma_chain, vm_area_struct) after each step. Addresses are
 * pages from 0x100; in the drawings one column is one page, {@code a} a
 * faulted page, {@code .} an unfaulted one, {@code |} a VMA boundary.
 */
class ModelCasesTest {
    static final long B = 0x100;

    /** §6.4.1: __anon_vma_prepare runs on the first write fault only (a read maps the zero page). */
    @Test
    void case1FirstWriteFaultAllocates() {
        Sim s = new Sim("model-1").spawn("P");
        long[] d = s.snap();
        //   0123
        //   ....      mmap 4 pages rw
        s.mmap("P", B, 4);
        s.assertDelta(d, 0, 0, 1);
        d = s.snap();
        //   ....      read page 0: the zero page, no anon_vma
        s.read("P", B, 1);
        s.assertDelta(d, 0, 0, 0);
        d = s.snap();
        //   a...      write page 0: a new root anon_vma and its AVC
        s.write("P", B, 1);
        s.assertDelta(d, 1, 1, 0);
        AnonVma av = s.anonVma("P", B);
        assertTrue(av.isRoot());
        assertEquals(1, av.refcount);
        assertEquals(1, av.numChildren); // the self-parent link
        assertEquals(1, av.numActiveVmas);
        s.replay();
    }

    /** §6.4.2: a split clones the chain; the re-merge unlinks the removed VMAs' AVCs. */
    @Test
    void case2SplitAndRemerge() {
        Sim s = new Sim("model-2").spawn("P").mmap("P", B, 4).write("P", B, 1);
        long[] d = s.snap();
        //   0123
        //   a|.|..    mprotect page 1 r--: __split_vma twice
        s.mprotect("P", B + 1, 1, Prot.R);
        s.assertDelta(d, 0, 2, 2);
        for (long p = B; p < B + 4; p = s.vma("P", p).end()) assertEquals(1, s.chain("P", p));
        AnonVma av = s.anonVma("P", B);
        assertSame(av, s.anonVma("P", B + 1));
        assertSame(av, s.anonVma("P", B + 2));
        assertEquals(3, av.numActiveVmas);
        d = s.snap();
        //   a...      mprotect it back rw-: prev + middle + next merge, middle and next go
        s.mprotect("P", B + 1, 1, Prot.RW);
        s.assertDelta(d, 0, -2, -2);
        s.assertVma("P", B, B + 4);
        assertEquals(1, av.numActiveVmas);
        s.replay();
    }

    /** §6.4.3: find_mergeable_anon_vma reuses an adjacent compatible neighbour's anon_vma. */
    @Test
    void case3NeighbourReuse() {
        Sim s = new Sim("model-3").spawn("P").mmap("P", B, 4);
        //   01|23     pages 2-3 rwx: two unfaulted VMAs, anon_vma-compatible, not mergeable
        s.mprotect("P", B + 2, 2, Prot.RWX);
        assertEquals(2, s.vmaCount("P"));
        long[] d = s.snap();
        //   a.|..     write page 0: next [2,4) is compatible but unfaulted, no prev → new anon_vma
        s.write("P", B, 1);
        s.assertDelta(d, 1, 1, 0);
        d = s.snap();
        //   a.|a.     write page 2: no next, prev is faulted with a singular chain → reused
        s.write("P", B + 2, 1);
        s.assertDelta(d, 0, 1, 0);
        assertSame(s.anonVma("P", B), s.anonVma("P", B + 2));
        assertEquals(2, s.anonVma("P", B).numActiveVmas);
        s.replay();
    }

    /** §6.4.3 contrast: the neighbour that is compatible is unfaulted, so nothing to reuse. */
    @Test
    void case3ContrastUnfaultedNeighbour() {
        Sim s = new Sim("model-3b").spawn("P").mmap("P", B, 4);
        //   01|2|3    page 2 r--: three VMAs
        s.mprotect("P", B + 2, 1, Prot.R);
        s.write("P", B, 1);
        long[] d = s.snap();
        //   a.|.|a    write page 3: prev [2,3) is compatible but unfaulted → new anon_vma
        s.write("P", B + 3, 1);
        s.assertDelta(d, 1, 1, 0);
        assertNotSame(s.anonVma("P", B), s.anonVma("P", B + 3));
        s.replay();
    }

    /** §6.4.4: anon_vma_fork of a faulted VMA, and the child's exit. */
    @Test
    void case4ForkAndExit() {
        Sim s = new Sim("model-4").spawn("P").mmap("P", B, 1).write("P", B, 1);
        long[] d = s.snap();
        //   P: a   C: a (shared, CoW)   C's chain [A1, R]
        s.fork("P", "C");
        s.assertDelta(d, 1, 2, 1);
        AnonVma root = s.anonVma("P", B), a1 = s.anonVma("C", B);
        assertEquals(2, root.refcount);
        assertEquals(2, root.numChildren);
        assertSame(root, a1.root);
        assertSame(root, a1.parent);
        assertEquals(2, s.chain("C", B));
        d = s.snap();
        s.exit("C");
        s.assertDelta(d, -1, -2, -1);
        assertTrue(a1.freed);
        assertEquals(1, root.refcount);
        assertEquals(1, root.numChildren);
        s.replay();
    }

    /** §6.4.5: unfaulted, wipe-on-fork and dont-fork VMAs give the child nothing to link. */
    @Test
    void case5ForkWithoutAnonVma() {
        Sim s = new Sim("model-5").spawn("P").mmap("P", B, 1);
        long[] d = s.snap();
        s.fork("P", "C1"); // unfaulted
        s.assertDelta(d, 0, 0, 1);
        s.write("P", B, 1).madvise("P", B, 1, Advice.WIPEONFORK);
        d = s.snap();
        s.fork("P", "C2"); // VM_WIPEONFORK: tmp->anon_vma = NULL, no anon_vma_fork
        s.assertDelta(d, 0, 0, 1);
        assertNull(s.anonVma("C2", B));
        s.madvise("P", B, 1, Advice.KEEPONFORK).madvise("P", B, 1, Advice.DONTFORK);
        d = s.snap();
        s.fork("P", "C3"); // VM_DONTCOPY: no child VMA
        s.assertDelta(d, 0, 0, 0);
        s.replay();
    }

    /** §6.4.6: the reuse heuristic keeps a chain of forks with exits bounded. */
    @Test
    void case6ChainWithExitsReuses() {
        Sim s = new Sim("model-6").spawn("P").mmap("P", B, 1).write("P", B, 1);
        s.fork("P", "C").fork("C", "G"); // C: [A1,R]  G: [A2,A1,R]
        AnonVma a1 = s.anonVma("C", B), a2 = s.anonVma("G", B);
        s.exit("C");
        assertEquals(0, a1.numActiveVmas);
        assertEquals(1, a1.numChildren);
        long[] d = s.snap();
        s.fork("G", "H"); // candidates oldest first: R (2 children), A1 (no VMA, one child) → reused
        s.assertDelta(d, 0, 3, 1);
        assertSame(a1, s.anonVma("H", B));
        s.exit("G");
        assertEquals(0, a2.numActiveVmas);
        assertEquals(0, a2.numChildren);
        assertFalse(a2.freed); // H still links to it
        d = s.snap();
        s.fork("H", "I"); // R no, A1 active (H), A2 reusable
        s.assertDelta(d, 0, 3, 1);
        assertSame(a2, s.anonVma("I", B));
        s.replay();
    }

    /** §6.4.7: two candidates; 6.18 looks at them oldest first (tail of the chain) and picks A1. */
    @Test
    void case7ManyCandidatesOldestFirst() {
        Sim s = new Sim("model-7").spawn("P").mmap("P", B, 1).write("P", B, 1);
        s.fork("P", "C1").fork("C1", "C2").fork("C2", "C3");
        AnonVma a1 = s.anonVma("C1", B), a2 = s.anonVma("C2", B), a3 = s.anonVma("C3", B);
        // C3's chain is [A3, A2, A1, R], newest first
        VmaAnon st = s.state(s.vma("C3", B));
        assertEquals(java.util.List.of(a3, a2, a1, s.anonVma("P", B)),
                st.chain.stream().map(c -> c.anonVma).toList());
        s.exit("C1").exit("C2");
        long[] d = s.snap();
        s.fork("C3", "C4");
        s.assertDelta(d, 0, 4, 1);
        assertSame(a1, s.anonVma("C4", B));
        assertEquals(1, a1.numActiveVmas);
        assertEquals(0, a2.numActiveVmas);
        s.replay();
    }

    /**
     * §6.4.8 (brk growth of a forked child), with mmap next to the heap in
     * place of brk, which a workload cannot express: do_brk_flags and mmap
     * both go through vma_merge_new_range with vmg->anon_vma NULL.
     */
    @Test
    void case8ForkChildGrowsItsHeap() {
        Sim s = new Sim("model-8").spawn("P").mmap("P", B, 2).write("P", B, 2).fork("P", "C");
        long[] d = s.snap();
        //   C: aa|.     the heap is a fork child (chain not singular): Case 2 refuses, a new VMA N1
        s.mmap("C", B + 2, 1);
        s.assertDelta(d, 0, 0, 1);
        s.assertVma("C", B, B + 2);
        d = s.snap();
        //   C: aa|a     N1's first fault: the neighbour's chain is not singular → new root
        s.write("C", B + 2, 1);
        s.assertDelta(d, 1, 1, 0);
        assertTrue(s.anonVma("C", B + 2).isRoot());
        d = s.snap();
        //   C: aa|a.    the next growth expands N1 (singular chain): no objects
        s.mmap("C", B + 3, 1);
        s.assertDelta(d, 0, 0, 0);
        s.assertVma("C", B + 2, B + 4);
        d = s.snap();
        s.write("C", B + 3, 1); // N1 already has its anon_vma
        s.assertDelta(d, 0, 0, 0);
        s.replay();
    }
}
