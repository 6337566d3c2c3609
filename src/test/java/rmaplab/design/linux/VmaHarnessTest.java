package rmaplab.design.linux;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import rmaplab.workload.Prot;

/**
 * Ports of the anon_vma cases of tools/testing/vma (the userland build of
 * mm/vma.c: tests/merge.c and tests/vma.c). That harness gives VMAs a dummy
 * one-AVC anon_vma; here a VMA gets a real one by a write fault, and VMAs
 * that the harness gives the same dummy get the same anon_vma by being split
 * from one faulted mapping. What a workload cannot express is left out and
 * said so: VM_SPECIAL flags (test_vma_merge_special_flags), vm_ops->close
 * (test_vma_merge_with_close, test_vma_merge_new_with_close, the close hooks
 * of test_merge_new), allocation failure (test_vmi_prealloc_fail) and
 * just_expand (test_expand_only_mode, brk only). Pages are counted from X; one
 * column of a drawing is one page, {@code a} faulted, {@code .} unfaulted.
 */
class VmaHarnessTest {
    static final long X = 0x100;

    /**
     * test_merge_new: new mappings fill the holes between VMAs that share one
     * anon_vma (A, B, C split from one faulted mapping). D, which the
     * harness gives the dummy anon_vma and a close hook, is unfaulted here.
     */
    @Test
    void testMergeNew() {
        Sim s = new Sim("test_merge_new").spawn("P");
        //   0123456789ab
        //   aaaaaaaaaaaa    one mapping, faulted: its anon_vma is the "dummy"
        s.mmap("P", X, 0xc).write("P", X, 1);
        AnonVma dummy = s.anonVma("P", X);
        //   AA.B.......C    A, B and C: one anon_vma, one AVC each
        s.munmap("P", X + 2, 1).munmap("P", X + 4, 7);
        s.assertCounts(1, 3, 3);
        //   AA.B...DD..C    new [7,9): no merge
        s.mmap("P", X + 7, 2);
        assertEquals(4, s.vmaCount("P"));
        //   AAAA...DD..C    new [2,3): merges both sides, B deleted
        s.mmap("P", X + 2, 1);
        s.assertVma("P", X, X + 4);
        assertEquals(3, s.vmaCount("P"));
        //   AAAAA..DD..C    new [4,5): extends A
        s.mmap("P", X + 4, 1);
        s.assertVma("P", X, X + 5);
        //   AAAAA.DDD..C    new [6,7): prepends to D
        s.mmap("P", X + 6, 1);
        s.assertVma("P", X + 6, X + 9);
        assertEquals(3, s.vmaCount("P"));
        //   AAAAAAAAA..C    new [5,6): A absorbs D
        s.mmap("P", X + 5, 1);
        s.assertVma("P", X, X + 9);
        assertEquals(2, s.vmaCount("P"));
        //   AAAAAAAAA.CC    new [a,b): prepends to C
        s.mmap("P", X + 0xa, 1);
        s.assertVma("P", X + 0xa, X + 0xc);
        //   AAAAAAAAAAAA    new [9,a): A absorbs C
        s.mmap("P", X + 9, 1);
        s.assertVma("P", X, X + 0xc);
        assertSame(dummy, s.anonVma("P", X));
        s.assertCounts(1, 1, 1);
        s.replay();
    }

    /** test_anon_vma_non_mergeable, existing range: prev and next have different anon_vmas. */
    @Test
    void testAnonVmaNonMergeableExisting() {
        Sim s = new Sim("test_anon_vma_non_mergeable").spawn("P");
        //   012345678
        //   aaa....bb     prev and next faulted apart: two anon_vmas
        s.mmap("P", X, 3).write("P", X, 1).mmap("P", X + 7, 2).write("P", X + 7, 1);
        assertNotSame(s.anonVma("P", X), s.anonVma("P", X + 7));
        //   aaa|...|bb    middle r--
        s.mmap("P", X + 3, 4, Prot.R);
        //   aaaaaaa|bb    middle rw-: may merge with either, not with both → prev + middle
        s.mprotect("P", X + 3, 4, Prot.RW);
        s.assertVma("P", X, X + 7);
        s.assertVma("P", X + 7, X + 9);
        s.replay();
    }

    /** test_anon_vma_non_mergeable, new range variant. */
    @Test
    void testAnonVmaNonMergeableNew() {
        Sim s = new Sim("test_anon_vma_non_mergeable_new").spawn("P");
        s.mmap("P", X, 3).write("P", X, 1).mmap("P", X + 7, 2).write("P", X + 7, 1);
        //   aaaaaaa|bb    new [3,7): prev only
        s.mmap("P", X + 3, 4);
        s.assertVma("P", X, X + 7);
        s.assertVma("P", X + 7, X + 9);
        s.replay();
    }

    /** test_dup_anon_vma 1: vma_expand of an unfaulted prev over a faulted next. */
    @Test
    void testDupAnonVmaExpand() {
        Sim s = new Sim("test_dup_anon_vma_1").spawn("P");
        //   ...  bbb      prev unfaulted, next faulted, a hole between
        s.mmap("P", X, 3).mmap("P", X + 5, 3).write("P", X + 5, 1);
        AnonVma av = s.anonVma("P", X + 5);
        //   ........      new [3,5): prev expands over it and over next, taking next's anon_vma
        s.mmap("P", X + 3, 2);
        s.assertVma("P", X, X + 8);
        assertSame(av, s.anonVma("P", X));
        s.assertCounts(1, 1, 1);
        s.replay();
    }

    /** test_dup_anon_vma 2: unfaulted middle between unfaulted prev and faulted next. */
    @Test
    void testDupAnonVmaUnfaultedMiddle() {
        Sim s = new Sim("test_dup_anon_vma_2").spawn("P");
        //   ...|..|aaa
        s.mmap("P", X, 3).mmap("P", X + 3, 2, Prot.R).mmap("P", X + 5, 3).write("P", X + 5, 1);
        AnonVma av = s.anonVma("P", X + 5);
        s.mprotect("P", X + 3, 2, Prot.RW);
        s.assertVma("P", X, X + 8);
        assertSame(av, s.anonVma("P", X));
        s.assertCounts(1, 1, 1);
        s.replay();
    }

    /** test_dup_anon_vma 3: faulted middle, unfaulted prev and next. */
    @Test
    void testDupAnonVmaFaultedMiddle() {
        Sim s = new Sim("test_dup_anon_vma_3").spawn("P");
        s.mmap("P", X + 3, 2).write("P", X + 3, 1).mprotect("P", X + 3, 2, Prot.R);
        AnonVma av = s.anonVma("P", X + 3);
        //   ...|aa|...
        s.mmap("P", X, 3).mmap("P", X + 5, 3);
        assertEquals(3, s.vmaCount("P"));
        s.mprotect("P", X + 3, 2, Prot.RW);
        s.assertVma("P", X, X + 8);
        assertSame(av, s.anonVma("P", X));
        s.assertCounts(1, 1, 1);
        s.replay();
    }

    /** test_dup_anon_vma 4: partial left merge of a faulted middle into an unfaulted prev. */
    @Test
    void testDupAnonVmaPartialLeft() {
        Sim s = new Sim("test_dup_anon_vma_4").spawn("P");
        s.mmap("P", X + 3, 5).write("P", X + 3, 1).mprotect("P", X + 3, 5, Prot.R);
        AnonVma av = s.anonVma("P", X + 3);
        //   ...|aaaaa
        s.mmap("P", X, 3);
        long[] d = s.snap();
        //   aaaaa|aaa     [3,5) rw-: prev takes it (and a copy of middle's chain)
        s.mprotect("P", X + 3, 2, Prot.RW);
        s.assertVma("P", X, X + 5);
        s.assertVma("P", X + 5, X + 8);
        assertSame(av, s.anonVma("P", X));
        s.assertDelta(d, 0, 1, 0);
        s.replay();
    }

    /** test_dup_anon_vma 5: partial right merge of a faulted VMA into an unfaulted next. */
    @Test
    void testDupAnonVmaPartialRight() {
        Sim s = new Sim("test_dup_anon_vma_5").spawn("P");
        s.mmap("P", X + 3, 5).write("P", X + 3, 1).mprotect("P", X + 3, 5, Prot.R);
        AnonVma av = s.anonVma("P", X + 3);
        //   aaaaa|..
        s.mmap("P", X + 8, 2);
        long[] d = s.snap();
        //   aaa|aaaa      [6,8) rw-: next takes it
        s.mprotect("P", X + 6, 2, Prot.RW);
        s.assertVma("P", X + 3, X + 6);
        s.assertVma("P", X + 6, X + 10);
        assertSame(av, s.anonVma("P", X + 6));
        s.assertDelta(d, 0, 1, 0);
        s.replay();
    }

    /** __test_merge_existing: the five merges of a faulted middle sharing its neighbours' anon_vma. */
    @Test
    void testMergeExisting() {
        // merge right, partial span: vma [2,6) r--, next [6,9); [3,6) rw- → vma [2,3), next [3,9)
        Sim s = new Sim("merge_existing_right_partial").spawn("P").mmap("P", X + 2, 7).write("P", X + 2, 1);
        s.mprotect("P", X + 2, 4, Prot.R);
        long[] d = s.snap();
        s.mprotect("P", X + 3, 3, Prot.RW);
        s.assertVma("P", X + 2, X + 3);
        s.assertVma("P", X + 3, X + 9);
        assertEquals(X + 3, s.vma("P", X + 3).pgoff());
        s.assertDelta(d, 0, 0, 0);
        // merge right, full span: [2,3) rw- → next [2,9)
        s.mprotect("P", X + 2, 1, Prot.RW);
        s.assertVma("P", X + 2, X + 9);
        s.assertCounts(1, 1, 1);
        s.replay();

        // merge left, partial: prev [0,3), vma [3,7) r--; [3,6) rw- → prev [0,6), vma [6,7)
        s = new Sim("merge_existing_left").spawn("P").mmap("P", X, 7).write("P", X, 1);
        s.mprotect("P", X + 3, 4, Prot.R);
        s.mprotect("P", X + 3, 3, Prot.RW);
        s.assertVma("P", X, X + 6);
        s.assertVma("P", X + 6, X + 7);
        assertEquals(X + 6, s.vma("P", X + 6).pgoff());
        // merge left, full: [6,7) rw- → prev [0,7)
        s.mprotect("P", X + 6, 1, Prot.RW);
        s.assertVma("P", X, X + 7);
        s.assertCounts(1, 1, 1);
        s.replay();

        // merge both: prev [0,3), vma [3,7) r--, next [7,9)
        s = new Sim("merge_existing_both").spawn("P").mmap("P", X, 9).write("P", X, 1);
        s.mprotect("P", X + 3, 4, Prot.R);
        assertEquals(3, s.vmaCount("P"));
        s.mprotect("P", X + 3, 4, Prot.RW);
        s.assertVma("P", X, X + 9);
        s.assertCounts(1, 1, 1);
        s.replay();

        // a range touching neither edge of vma [3,8) does not merge: it is split out
        s = new Sim("merge_existing_inner").spawn("P").mmap("P", X, 9).write("P", X, 1);
        s.mprotect("P", X + 3, 5, Prot.R);
        s.mprotect("P", X + 4, 3, Prot.RW);
        s.assertVma("P", X, X + 3);
        s.assertVma("P", X + 3, X + 4);
        s.assertVma("P", X + 4, X + 7);
        s.assertVma("P", X + 7, X + 8);
        s.assertVma("P", X + 8, X + 9);
        s.assertCounts(1, 5, 5);
        s.replay();
    }

    /** test_merge_extend: vma_merge_extend grows [0,1) by 2 pages up to [3,4), and they merge. */
    @Test
    void testMergeExtend() {
        Sim s = new Sim("test_merge_extend").spawn("P");
        //   a..b
        s.mmap("P", X, 1).write("P", X, 1).mmap("P", X + 3, 1);
        //   aaaa
        s.resize("P", X, 1, 3);
        s.assertVma("P", X, X + 4);
        s.assertCounts(1, 1, 1);
        s.replay();
    }

    /** test_copy_vma: copy_vma with no neighbour makes a VMA; next to a linear neighbour it merges. */
    @Test
    void testCopyVma() {
        Sim s = new Sim("test_copy_vma").spawn("P");
        s.mmap("P", X + 3, 2);
        //   ..           [3,5) moved to 0: an unfaulted VMA is re-based, a new VMA
        s.mremap("P", X + 3, 2, X);
        s.assertVma("P", X, X + 2);
        assertEquals(X, s.vma("P", X).pgoff());
        //   ....||..     [0,2) moved to [4,6), next to [6,8): merges into next
        s.mmap("P", X + 6, 2);
        s.mremap("P", X, 2, X + 4);
        s.assertVma("P", X + 4, X + 8);
        assertEquals(1, s.vmaCount("P"));
        s.replay();
    }

    /** test_simple_modify: a split into three VMAs with pgoffs 0, 1, 2. */
    @Test
    void testSimpleModify() {
        Sim s = new Sim("test_simple_modify").spawn("P").mmap("P", X, 3).write("P", X, 3);
        s.mprotect("P", X + 1, 1, Prot.R);
        for (int i = 0; i < 3; i++) assertEquals(X + i, s.assertVma("P", X + i, X + i + 1).pgoff());
        s.assertCounts(1, 3, 3);
        s.replay();
    }
}
