package rmaplab.design.linux;

import static org.junit.jupiter.api.Assertions.*;
import static rmaplab.design.linux.LiveObjects.anonVmas;
import static rmaplab.design.linux.LiveObjects.avcs;
import static rmaplab.design.linux.LiveObjects.vmas;

import org.junit.jupiter.api.Test;

/**
 * Ports of the anon_vma cases of tools/testing/vma (the userland build of
 * mm/vma.c: tests/merge.c and tests/vma.c). That harness gives VMAs a dummy
 * one-AVC anon_vma; here a VMA gets a real one by a write fault, and VMAs
 * that the harness gives the same dummy get the same anon_vma by being split
 * from one faulted mapping. What a workload cannot express is left out and
 * said so: VM_SPECIAL flags (test_vma_merge_special_flags), vm_ops->close
 * (test_vma_merge_with_close, test_vma_merge_new_with_close, the close hooks
 * of test_merge_new), allocation failure (test_vmi_prealloc_fail) and
 * just_expand (test_expand_only_mode, brk only); test_dup_anon_vma is in
 * DupAnonVmaTest. Pages are counted from 0x100, so the rulers read as the
 * harness's; the drawings follow AddressSpaceDrawing's legend (the
 * harness's, with lower case for a VMA that has an anon_vma and '.' for a
 * hole).
 */
class VmaHarnessTest {
    /**
     * test_merge_new: new mappings fill the holes between VMAs that share one
     * anon_vma (A, B, C split from one faulted mapping). The harness's D,
     * which it gives the dummy anon_vma and a close hook, is unfaulted here.
     */
    @Test
    void testMergeNew() {
        // one mapping, faulted: its anon_vma is the "dummy"
        Sim s = new Sim("test_merge_new").run("""
                P spawn
                P mmap 0x100 0xc rw- anon
                P touch 0x100 0x1 write
                """);
        AnonVma dummy = s.anonVma("P", 0x100);
        // A, B and C: one anon_vma, one AVC each
        s.run("""
                P munmap 0x102 0x1
                P munmap 0x104 0x7
                """);
        s.assertDrawing("P", """
                    <----->
                0123456789ab
                aa.b.......c
                """);
        s.assertLive(anonVmas(1), avcs(3), vmas(3));
        // new [7,9): no merge
        s.run("P mmap 0x107 0x2 rw- anon");
        s.assertDrawing("P", """
                       <>
                0123456789ab
                aa.b...CC..d
                """);
        assertEquals(4, s.vmaCount("P"));
        // new [2,3): merges both sides, B deleted
        s.run("P mmap 0x102 0x1 rw- anon");
        s.assertDrawing("P", """
                  -
                0123456789ab
                aaaa...BB..c
                """);
        s.assertVma("P", 0x100, 0x104);
        assertEquals(3, s.vmaCount("P"));
        // new [4,5): extends A
        s.run("P mmap 0x104 0x1 rw- anon");
        s.assertDrawing("P", """
                    -
                0123456789ab
                aaaaa..BB..c
                """);
        s.assertVma("P", 0x100, 0x105);
        // new [6,7): prepends to the unfaulted one
        s.run("P mmap 0x106 0x1 rw- anon");
        s.assertDrawing("P", """
                      -
                0123456789ab
                aaaaa.BBB..c
                """);
        s.assertVma("P", 0x106, 0x109);
        assertEquals(3, s.vmaCount("P"));
        // new [5,6): A absorbs it
        s.run("P mmap 0x105 0x1 rw- anon");
        s.assertDrawing("P", """
                     -
                0123456789ab
                aaaaaaaaa..b
                """);
        s.assertVma("P", 0x100, 0x109);
        assertEquals(2, s.vmaCount("P"));
        // new [a,b): prepends to the last
        s.run("P mmap 0x10a 0x1 rw- anon");
        s.assertDrawing("P", """
                          -
                0123456789ab
                aaaaaaaaa.bb
                """);
        s.assertVma("P", 0x10a, 0x10c);
        // new [9,a): A absorbs it
        s.run("P mmap 0x109 0x1 rw- anon");
        s.assertDrawing("P", """
                         -
                0123456789ab
                aaaaaaaaaaaa
                """);
        s.assertVma("P", 0x100, 0x10c);
        assertSame(dummy, s.anonVma("P", 0x100));
        s.assertLive(anonVmas(1), avcs(1), vmas(1));
        s.replay();
    }

    /** The start of both test_anon_vma_non_mergeable cases: prev and next faulted apart, two anon_vmas. */
    private static Sim prevAndNextFaultedApart(String name) {
        Sim s = new Sim(name).run("""
                P spawn
                P mmap 0x100 0x3 rw- anon
                P touch 0x100 0x1 write
                P mmap 0x107 0x2 rw- anon
                P touch 0x107 0x1 write
                """);
        assertNotSame(s.anonVma("P", 0x100), s.anonVma("P", 0x107));
        return s;
    }

    /** test_anon_vma_non_mergeable, existing range: prev and next have different anon_vmas. */
    @Test
    void testAnonVmaNonMergeableExisting() {
        Sim s = prevAndNextFaultedApart("test_anon_vma_non_mergeable");
        // the middle r--
        s.run("P mmap 0x103 0x4 r-- anon");
        s.assertDrawing("P", """
                   <-->
                012345678
                aaaBBBBcc
                """);
        // the middle rw-: may merge with either, not with both → prev + middle
        s.run("P mprotect 0x103 0x4 rw-");
        s.assertDrawing("P", """
                   <-->
                012345678
                aaaaaaabb
                """);
        s.assertVma("P", 0x100, 0x107);
        s.assertVma("P", 0x107, 0x109);
        s.replay();
    }

    /** test_anon_vma_non_mergeable, new range variant. */
    @Test
    void testAnonVmaNonMergeableNew() {
        Sim s = prevAndNextFaultedApart("test_anon_vma_non_mergeable_new");
        // new [3,7): prev only
        s.run("P mmap 0x103 0x4 rw- anon");
        s.assertDrawing("P", """
                   <-->
                012345678
                aaaaaaabb
                """);
        s.assertVma("P", 0x100, 0x107);
        s.assertVma("P", 0x107, 0x109);
        s.replay();
    }

    /** __test_merge_existing: the five merges of a faulted middle sharing its neighbours' anon_vma. */
    @Test
    void testMergeExisting() {
        // merge right, partial span: vma [2,6) r--, next [6,9); [3,6) rw- → vma [2,3), next [3,9)
        Sim s = new Sim("merge_existing_right_partial").run("""
                P spawn
                P mmap 0x102 0x7 rw- anon
                P touch 0x102 0x1 write
                P mprotect 0x102 0x4 r--
                """);
        LiveObjects before = s.objects();
        s.run("P mprotect 0x103 0x3 rw-");
        s.assertDrawing("P", """
                   <->
                012345678
                ..abbbbbb
                """);
        s.assertVma("P", 0x102, 0x103);
        s.assertVma("P", 0x103, 0x109);
        assertEquals(0x103, s.vma("P", 0x103).pgoff());
        s.assertChange(before, anonVmas(0), avcs(0), vmas(0));
        // merge right, full span: [2,3) rw- → next [2,9)
        s.run("P mprotect 0x102 0x1 rw-");
        s.assertDrawing("P", """
                  -
                012345678
                ..aaaaaaa
                """);
        s.assertVma("P", 0x102, 0x109);
        s.assertLive(anonVmas(1), avcs(1), vmas(1));
        s.replay();

        // merge left, partial: prev [0,3), vma [3,7) r--; [3,6) rw- → prev [0,6), vma [6,7)
        s = new Sim("merge_existing_left").run("""
                P spawn
                P mmap 0x100 0x7 rw- anon
                P touch 0x100 0x1 write
                P mprotect 0x103 0x4 r--
                P mprotect 0x103 0x3 rw-
                """);
        s.assertDrawing("P", """
                   <->
                0123456
                aaaaaab
                """);
        s.assertVma("P", 0x100, 0x106);
        s.assertVma("P", 0x106, 0x107);
        assertEquals(0x106, s.vma("P", 0x106).pgoff());
        // merge left, full: [6,7) rw- → prev [0,7)
        s.run("P mprotect 0x106 0x1 rw-");
        s.assertDrawing("P", """
                      -
                0123456
                aaaaaaa
                """);
        s.assertVma("P", 0x100, 0x107);
        s.assertLive(anonVmas(1), avcs(1), vmas(1));
        s.replay();

        // merge both: prev [0,3), vma [3,7) r--, next [7,9)
        s = new Sim("merge_existing_both").run("""
                P spawn
                P mmap 0x100 0x9 rw- anon
                P touch 0x100 0x1 write
                P mprotect 0x103 0x4 r--
                """);
        s.assertDrawing("P", """
                   <-->
                012345678
                aaabbbbcc
                """);
        assertEquals(3, s.vmaCount("P"));
        s.run("P mprotect 0x103 0x4 rw-");
        s.assertDrawing("P", """
                   <-->
                012345678
                aaaaaaaaa
                """);
        s.assertVma("P", 0x100, 0x109);
        s.assertLive(anonVmas(1), avcs(1), vmas(1));
        s.replay();

        // a range touching neither edge of vma [3,8) does not merge: it is split out
        s = new Sim("merge_existing_inner").run("""
                P spawn
                P mmap 0x100 0x9 rw- anon
                P touch 0x100 0x1 write
                P mprotect 0x103 0x5 r--
                P mprotect 0x104 0x3 rw-
                """);
        s.assertDrawing("P", """
                    <->
                012345678
                aaabcccde
                """);
        s.assertVma("P", 0x100, 0x103);
        s.assertVma("P", 0x103, 0x104);
        s.assertVma("P", 0x104, 0x107);
        s.assertVma("P", 0x107, 0x108);
        s.assertVma("P", 0x108, 0x109);
        s.assertLive(anonVmas(1), avcs(5), vmas(5));
        s.replay();
    }

    /** test_merge_extend: vma_merge_extend grows [0,1) by 2 pages up to [3,4), and they merge. */
    @Test
    void testMergeExtend() {
        Sim s = new Sim("test_merge_extend").run("""
                P spawn
                P mmap 0x100 0x1 rw- anon
                P touch 0x100 0x1 write
                P mmap 0x103 0x1 rw- anon
                """);
        s.assertDrawing("P", """
                   -
                0123
                a..B
                """);
        s.run("P mremap 0x100 0x1 0x100 0x3");
        s.assertDrawing("P", """
                <->
                0123
                aaaa
                """);
        s.assertVma("P", 0x100, 0x104);
        s.assertLive(anonVmas(1), avcs(1), vmas(1));
        s.replay();
    }

    /** test_copy_vma: copy_vma with no neighbour makes a VMA; next to a linear neighbour it merges. */
    @Test
    void testCopyVma() {
        // [3,5) moved to 0: an unfaulted VMA is re-based, a new VMA
        Sim s = new Sim("test_copy_vma").run("""
                P spawn
                P mmap 0x103 0x2 rw- anon
                P mremap 0x103 0x2 0x100 0x2
                """);
        s.assertDrawing("P", """
                <> <>
                01234
                AA...
                """);
        s.assertVma("P", 0x100, 0x102);
        assertEquals(0x100, s.vma("P", 0x100).pgoff());
        // [0,2) moved to [4,6), next to [6,8): merges into next
        s.run("""
                P mmap 0x106 0x2 rw- anon
                P mremap 0x100 0x2 0x104 0x2
                """);
        s.assertDrawing("P", """
                <>  <>
                01234567
                ....AAAA
                """);
        s.assertVma("P", 0x104, 0x108);
        assertEquals(1, s.vmaCount("P"));
        s.replay();
    }

    /** test_simple_modify: a split into three VMAs with pgoffs 0, 1, 2. */
    @Test
    void testSimpleModify() {
        Sim s = new Sim("test_simple_modify").run("""
                P spawn
                P mmap 0x100 0x3 rw- anon
                P touch 0x100 0x3 write
                P mprotect 0x101 0x1 r--
                """);
        s.assertDrawing("P", """
                 -
                012
                abc
                """);
        for (int i = 0; i < 3; i++) assertEquals(0x100 + i, s.assertVma("P", 0x100 + i, 0x100 + i + 1).pgoff());
        s.assertLive(anonVmas(1), avcs(3), vmas(3));
        s.replay();
    }
}
