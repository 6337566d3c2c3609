package rmaplab.design.linux;

import static org.junit.jupiter.api.Assertions.*;
import static rmaplab.design.linux.LiveObjects.anonVmas;
import static rmaplab.design.linux.LiveObjects.avcs;
import static rmaplab.design.linux.LiveObjects.vmas;

import org.junit.jupiter.api.Test;

/**
 * The eight model cases of notes/anon_vma.md §6.4, each derived there from
 * mm/rmap.c and mm/vma.c (no kernel test of their own): the change in live
 * (anon_vma, anon_vma_chain, vm_area_struct) after each step. Addresses are
 * pages from 0x100; the drawings follow AddressSpaceDrawing's legend (the
 * last op's range marked, a ruler, one letter per VMA, lower case once the
 * VMA has an anon_vma).
 */
class ModelCasesTest {
    /** §6.4.1: __anon_vma_prepare runs on the first write fault only (a read maps the zero page). */
    @Test
    void case1FirstWriteFaultAllocates() {
        Sim s = new Sim("model-1").run("P spawn");
        LiveObjects before = s.objects();
        s.run("P mmap 0x100 0x4 rw- anon");
        s.assertChange(before, anonVmas(0), avcs(0), vmas(+1));
        before = s.objects();
        // read page 0: the zero page, no anon_vma
        s.run("P touch 0x100 0x1 read");
        s.assertDrawing("P", """
                -
                0123
                AAAA
                """);
        s.assertChange(before, anonVmas(0), avcs(0), vmas(0));
        before = s.objects();
        // write page 0: a new root anon_vma and its AVC
        s.run("P touch 0x100 0x1 write");
        s.assertDrawing("P", """
                -
                0123
                aaaa
                """);
        s.assertChange(before, anonVmas(+1), avcs(+1), vmas(0));
        AnonVma av = s.anonVma("P", 0x100);
        assertTrue(av.isRoot());
        assertEquals(1, av.refcount);
        assertEquals(1, av.numChildren); // the self-parent link
        assertEquals(1, av.numActiveVmas);
        s.replay();
    }

    /** §6.4.2: a split clones the chain; the re-merge unlinks the removed VMAs' AVCs. */
    @Test
    void case2SplitAndRemerge() {
        Sim s = new Sim("model-2").run("""
                P spawn
                P mmap 0x100 0x4 rw- anon
                P touch 0x100 0x1 write
                """);
        LiveObjects before = s.objects();
        // page 1 r--: __split_vma twice
        s.run("P mprotect 0x101 0x1 r--");
        s.assertDrawing("P", """
                 -
                0123
                abcc
                """);
        s.assertChange(before, anonVmas(0), avcs(+2), vmas(+2));
        for (long p = 0x100; p < 0x104; p = s.vma("P", p).end()) assertEquals(1, s.chain("P", p));
        AnonVma av = s.anonVma("P", 0x100);
        assertSame(av, s.anonVma("P", 0x101));
        assertSame(av, s.anonVma("P", 0x102));
        assertEquals(3, av.numActiveVmas);
        before = s.objects();
        // back to rw-: prev + middle + next merge, middle and next go
        s.run("P mprotect 0x101 0x1 rw-");
        s.assertDrawing("P", """
                 -
                0123
                aaaa
                """);
        s.assertChange(before, anonVmas(0), avcs(-2), vmas(-2));
        s.assertVma("P", 0x100, 0x104);
        assertEquals(1, av.numActiveVmas);
        s.replay();
    }

    /** §6.4.3: find_mergeable_anon_vma reuses an adjacent compatible neighbour's anon_vma. */
    @Test
    void case3NeighbourReuse() {
        // pages 2-3 rwx: two unfaulted VMAs, anon_vma-compatible, not mergeable
        Sim s = new Sim("model-3").run("""
                P spawn
                P mmap 0x100 0x4 rw- anon
                P mprotect 0x102 0x2 rwx
                """);
        assertEquals(2, s.vmaCount("P"));
        LiveObjects before = s.objects();
        // write page 0: next is compatible but unfaulted, no prev → new anon_vma
        s.run("P touch 0x100 0x1 write");
        s.assertDrawing("P", """
                -
                0123
                aaBB
                """);
        s.assertChange(before, anonVmas(+1), avcs(+1), vmas(0));
        before = s.objects();
        // write page 2: no next, prev is faulted with a singular chain → reused
        s.run("P touch 0x102 0x1 write");
        s.assertDrawing("P", """
                  -
                0123
                aabb
                """);
        s.assertChange(before, anonVmas(0), avcs(+1), vmas(0));
        assertSame(s.anonVma("P", 0x100), s.anonVma("P", 0x102));
        assertEquals(2, s.anonVma("P", 0x100).numActiveVmas);
        s.replay();
    }

    /** §6.4.3 contrast: the neighbour that is compatible is unfaulted, so nothing to reuse. */
    @Test
    void case3ContrastUnfaultedNeighbour() {
        // page 2 r--: three VMAs
        Sim s = new Sim("model-3b").run("""
                P spawn
                P mmap 0x100 0x4 rw- anon
                P mprotect 0x102 0x1 r--
                P touch 0x100 0x1 write
                """);
        LiveObjects before = s.objects();
        // write page 3: prev is compatible but unfaulted → new anon_vma
        s.run("P touch 0x103 0x1 write");
        s.assertDrawing("P", """
                   -
                0123
                aaBc
                """);
        s.assertChange(before, anonVmas(+1), avcs(+1), vmas(0));
        assertNotSame(s.anonVma("P", 0x100), s.anonVma("P", 0x103));
        s.replay();
    }

    /** §6.4.4: anon_vma_fork of a faulted VMA, and the child's exit. */
    @Test
    void case4ForkAndExit() {
        Sim s = new Sim("model-4").run("""
                P spawn
                P mmap 0x100 0x1 rw- anon
                P touch 0x100 0x1 write
                """);
        LiveObjects before = s.objects();
        // the page shared, CoW; C's chain [A1, R]
        s.run("P fork C");
        s.assertChange(before, anonVmas(+1), avcs(+2), vmas(+1));
        AnonVma root = s.anonVma("P", 0x100), a1 = s.anonVma("C", 0x100);
        assertEquals(2, root.refcount);
        assertEquals(2, root.numChildren);
        assertSame(root, a1.root);
        assertSame(root, a1.parent);
        assertEquals(2, s.chain("C", 0x100));
        before = s.objects();
        s.run("C exit");
        s.assertChange(before, anonVmas(-1), avcs(-2), vmas(-1));
        assertTrue(a1.freed);
        assertEquals(1, root.refcount);
        assertEquals(1, root.numChildren);
        s.replay();
    }

    /** §6.4.5: unfaulted, wipe-on-fork and dont-fork VMAs give the child nothing to link. */
    @Test
    void case5ForkWithoutAnonVma() {
        Sim s = new Sim("model-5").run("""
                P spawn
                P mmap 0x100 0x1 rw- anon
                """);
        LiveObjects before = s.objects();
        s.run("P fork C1"); // unfaulted
        s.assertChange(before, anonVmas(0), avcs(0), vmas(+1));
        s.run("""
                P touch 0x100 0x1 write
                P madvise 0x100 0x1 wipeonfork
                """);
        before = s.objects();
        s.run("P fork C2"); // VM_WIPEONFORK: tmp->anon_vma = NULL, no anon_vma_fork
        s.assertChange(before, anonVmas(0), avcs(0), vmas(+1));
        assertNull(s.anonVma("C2", 0x100));
        s.assertDrawing("C2", """
                0
                A
                """);
        s.run("""
                P madvise 0x100 0x1 keeponfork
                P madvise 0x100 0x1 dontfork
                """);
        before = s.objects();
        s.run("P fork C3"); // VM_DONTCOPY: no child VMA
        s.assertChange(before, anonVmas(0), avcs(0), vmas(0));
        s.assertDrawing("C3", "(no VMAs)");
        s.replay();
    }

    /** §6.4.6: the reuse heuristic keeps a chain of forks with exits bounded. */
    @Test
    void case6ChainWithExitsReuses() {
        Sim s = new Sim("model-6").run("""
                P spawn
                P mmap 0x100 0x1 rw- anon
                P touch 0x100 0x1 write
                P fork C
                C fork G
                """); // C: [A1,R]  G: [A2,A1,R]
        AnonVma a1 = s.anonVma("C", 0x100), a2 = s.anonVma("G", 0x100);
        s.run("C exit");
        assertEquals(0, a1.numActiveVmas);
        assertEquals(1, a1.numChildren);
        LiveObjects before = s.objects();
        s.run("G fork H"); // candidates oldest first: R (2 children), A1 (no VMA, one child) → reused
        s.assertChange(before, anonVmas(0), avcs(+3), vmas(+1));
        assertSame(a1, s.anonVma("H", 0x100));
        s.run("G exit");
        assertEquals(0, a2.numActiveVmas);
        assertEquals(0, a2.numChildren);
        assertFalse(a2.freed); // H still links to it
        before = s.objects();
        s.run("H fork I"); // R no, A1 active (H), A2 reusable
        s.assertChange(before, anonVmas(0), avcs(+3), vmas(+1));
        assertSame(a2, s.anonVma("I", 0x100));
        s.replay();
    }

    /** §6.4.7: two candidates; 6.18 looks at them oldest first (tail of the chain) and picks A1. */
    @Test
    void case7ManyCandidatesOldestFirst() {
        Sim s = new Sim("model-7").run("""
                P spawn
                P mmap 0x100 0x1 rw- anon
                P touch 0x100 0x1 write
                P fork C1
                C1 fork C2
                C2 fork C3
                """);
        AnonVma a1 = s.anonVma("C1", 0x100), a2 = s.anonVma("C2", 0x100), a3 = s.anonVma("C3", 0x100);
        // C3's chain is [A3, A2, A1, R], newest first
        VmaAnon st = s.state(s.vma("C3", 0x100));
        assertEquals(java.util.List.of(a3, a2, a1, s.anonVma("P", 0x100)),
                st.chain.stream().map(c -> c.anonVma).toList());
        s.run("""
                C1 exit
                C2 exit
                """);
        LiveObjects before = s.objects();
        s.run("C3 fork C4");
        s.assertChange(before, anonVmas(0), avcs(+4), vmas(+1));
        assertSame(a1, s.anonVma("C4", 0x100));
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
        Sim s = new Sim("model-8").run("""
                P spawn
                P mmap 0x100 0x2 rw- anon
                P touch 0x100 0x2 write
                P fork C
                """);
        LiveObjects before = s.objects();
        // the heap is a fork child (chain not singular): Case 2 refuses, a new VMA N1
        s.run("C mmap 0x102 0x1 rw- anon");
        s.assertDrawing("C", """
                  -
                012
                aaB
                """);
        s.assertChange(before, anonVmas(0), avcs(0), vmas(+1));
        s.assertVma("C", 0x100, 0x102);
        before = s.objects();
        // N1's first fault: the neighbour's chain is not singular → new root
        s.run("C touch 0x102 0x1 write");
        s.assertDrawing("C", """
                  -
                012
                aab
                """);
        s.assertChange(before, anonVmas(+1), avcs(+1), vmas(0));
        assertTrue(s.anonVma("C", 0x102).isRoot());
        before = s.objects();
        // the next growth expands N1 (singular chain): no objects
        s.run("C mmap 0x103 0x1 rw- anon");
        s.assertDrawing("C", """
                   -
                0123
                aabb
                """);
        s.assertChange(before, anonVmas(0), avcs(0), vmas(0));
        s.assertVma("C", 0x102, 0x104);
        before = s.objects();
        s.run("C touch 0x103 0x1 write"); // N1 already has its anon_vma
        s.assertChange(before, anonVmas(0), avcs(0), vmas(0));
        s.replay();
    }
}
