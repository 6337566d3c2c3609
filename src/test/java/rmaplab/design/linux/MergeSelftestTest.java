package rmaplab.design.linux;

import static org.junit.jupiter.api.Assertions.*;
import static rmaplab.design.linux.LiveObjects.anonVmas;
import static rmaplab.design.linux.LiveObjects.avcs;
import static rmaplab.design.linux.LiveObjects.vmas;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ports of the anon_vma cases of tools/testing/selftests/mm/merge.c (the
 * real-kernel VMA merge selftest, 6.16 merge rules plus the January 2026
 * mremap fixes in 6.18.8). Addresses are pages from the carveout at 0x1000;
 * the drawings follow AddressSpaceDrawing's legend (the last op's range
 * marked, a ruler, one letter per VMA, lower case once it has an anon_vma).
 * The selftest's MREMAP_DONTUNMAP moves are plain moves here (a workload has
 * no mremap flags): the merge under test happens in copy_vma before the
 * source is unmapped or kept, so the result at the destination is the same.
 * The merge_with_fork variants fault in the parent P, which forks T and
 * returns at once; T runs the test, as in the selftest (without the fork, T
 * is the only process).
 */
class MergeSelftestTest {
    // The five mprotect_* cases below expect merges in the selftest (6.16's
    // 879bca0a2c4f). On the live 6.18.44 kernel they do not happen: making an
    // unfaulted anonymous VMA read-only clears its VM_ACCOUNT (mprotect_fixup
    // un-charges a VMA with no anon_vma yet), a faulted one keeps it, so their
    // flags differ and is_mergeable_vma refuses. `rmaplab kernel-check` on
    // examples/kernel/k08, k09, k37, k38, k39 (the same sequences) shows the
    // kernel's VMA counts asserted here; smaps shows "ac" only on the faulted part.

    /** mprotect_unfaulted_left: the faulted half does not merge into the uncharged unfaulted prev. */
    @Test
    void mprotectUnfaultedLeft() {
        // the first 5 pages r--: unfaulted, so VM_ACCOUNT is cleared; then page 5 faulted
        Sim s = new Sim("mprotect_unfaulted_left").run("""
                P spawn
                P mmap 0x1002 0xa rw- anon
                P mprotect 0x1002 0x5 r--
                P touch 0x1007 0x1 write
                """);
        LiveObjects before = s.objects();
        // the last 5 r--: keeps VM_ACCOUNT (faulted); flags differ, no merge
        s.run("P mprotect 0x1007 0x5 r--");
        s.assertDrawing("P", """
                       <--->
                0123456789ab
                ..AAAAAbbbbb
                """);
        s.assertVma("P", 0x1002, 0x1007);
        s.assertVma("P", 0x1007, 0x100c);
        s.assertChange(before, anonVmas(0), avcs(0), vmas(0));
        s.replay();
    }

    /** mprotect_unfaulted_right: no merge into the uncharged unfaulted next. */
    @Test
    void mprotectUnfaultedRight() {
        // the last 5 r--: VM_ACCOUNT cleared; page 0 faulted
        Sim s = new Sim("mprotect_unfaulted_right").run("""
                P spawn
                P mmap 0x1002 0xa rw- anon
                P mprotect 0x1007 0x5 r--
                P touch 0x1002 0x1 write
                """);
        // the first 5 r--: keeps VM_ACCOUNT, no merge
        s.run("P mprotect 0x1002 0x5 r--");
        s.assertDrawing("P", """
                  <--->
                0123456789ab
                ..aaaaaBBBBB
                """);
        s.assertVma("P", 0x1002, 0x1007);
        s.assertVma("P", 0x1007, 0x100c);
        s.assertLive(anonVmas(1), avcs(1), vmas(2));
        s.replay();
    }

    /** mprotect_unfaulted_both: a faulted middle between uncharged unfaulted prev and next. */
    @Test
    void mprotectUnfaultedBoth() {
        // the first and last 3 r--: both uncharged; page 3 faulted
        Sim s = new Sim("mprotect_unfaulted_both").run("""
                P spawn
                P mmap 0x1002 0x9 rw- anon
                P mprotect 0x1002 0x3 r--
                P mprotect 0x1008 0x3 r--
                P touch 0x1005 0x1 write
                """);
        // the middle r--: charged, so nothing merges
        s.run("P mprotect 0x1005 0x3 r--");
        s.assertDrawing("P", """
                     <->
                0123456789a
                ..AAAbbbCCC
                """);
        s.assertVma("P", 0x1002, 0x1005);
        s.assertVma("P", 0x1005, 0x1008);
        s.assertVma("P", 0x1008, 0x100b);
        s.assertLive(anonVmas(1), avcs(1), vmas(3));
        s.replay();
    }

    /** mprotect_faulted_left_unfaulted_right. */
    @Test
    void mprotectFaultedLeftUnfaultedRight() {
        // the last 3 r--: uncharged; page 0 faulted
        Sim s = new Sim("mprotect_faulted_left_unfaulted_right").run("""
                P spawn
                P mmap 0x1002 0x9 rw- anon
                P mprotect 0x1008 0x3 r--
                P touch 0x1002 0x1 write
                """);
        s.run("P mprotect 0x1002 0x3 r--");
        s.assertDrawing("P", """
                  <->
                0123456789a
                ..aaabbbCCC
                """);
        // the middle r--: merges with prev (same anon_vma, charged), not with next
        s.run("P mprotect 0x1005 0x3 r--");
        s.assertDrawing("P", """
                     <->
                0123456789a
                ..aaaaaaBBB
                """);
        s.assertVma("P", 0x1002, 0x1008);
        s.assertVma("P", 0x1008, 0x100b);
        s.assertLive(anonVmas(1), avcs(1), vmas(2));
        s.replay();
    }

    /** mprotect_unfaulted_left_faulted_right. */
    @Test
    void mprotectUnfaultedLeftFaultedRight() {
        // the first 3 r--: uncharged; page 3 faulted
        Sim s = new Sim("mprotect_unfaulted_left_faulted_right").run("""
                P spawn
                P mmap 0x1002 0x9 rw- anon
                P mprotect 0x1002 0x3 r--
                P touch 0x1005 0x1 write
                """);
        // the last 3 r--: a faulted VMA, stays charged
        s.run("P mprotect 0x1008 0x3 r--");
        s.assertDrawing("P", """
                        <->
                0123456789a
                ..AAAbbbccc
                """);
        // the middle r--: merges with next (same anon_vma), not with the uncharged prev
        s.run("P mprotect 0x1005 0x3 r--");
        s.assertDrawing("P", """
                     <->
                0123456789a
                ..AAAbbbbbb
                """);
        s.assertVma("P", 0x1002, 0x1005);
        s.assertVma("P", 0x1005, 0x100b);
        s.assertLive(anonVmas(1), avcs(1), vmas(2));
        s.replay();
    }

    /** forked_target_vma: a new mapping does not merge into a fork child (Case 2). */
    @Test
    void forkedTargetVma() {
        // the child unCoWs everything: the AVC to the parent's anon_vma stays
        Sim s = new Sim("forked_target_vma").run("""
                P spawn
                P mmap 0x1001 0x5 rw- anon
                P touch 0x1001 0x1 write
                P fork C
                C touch 0x1001 0x5 write
                """);
        assertEquals(2, s.chain("C", 0x1001));
        // an adjacent rw- mapping: not merged
        s.run("C mmap 0x1006 0x5 rw- anon");
        s.assertDrawing("C", """
                      <--->
                0123456789a
                .aaaaaBBBBB
                """);
        s.assertVma("C", 0x1001, 0x1006);
        s.assertVma("C", 0x1006, 0x100b);
        s.replay();
    }

    /** forked_source_vma: a fork child does not merge into an unfaulted neighbour (Case 1). */
    @Test
    void forkedSourceVma() {
        Sim s = new Sim("forked_source_vma").run("""
                P spawn
                P mmap 0x1001 0x5 rw- anon
                P touch 0x1001 0x1 write
                P fork C
                C touch 0x1001 0x5 write
                """);
        // an adjacent rwx mapping: incompatible, not merged
        s.run("C mmap 0x1006 0x5 rwx anon");
        s.assertVma("C", 0x1001, 0x1006);
        // the forked VMA made rwx: it would be the source of a dup, refused
        s.run("C mprotect 0x1001 0x5 rwx");
        s.assertDrawing("C", """
                 <--->
                0123456789a
                .aaaaaBBBBB
                """);
        s.assertVma("C", 0x1001, 0x1006);
        s.assertVma("C", 0x1006, 0x100b);
        s.replay();
    }

    /**
     * The merge_with_fork fixture: [addr, addr + len) mapped and its first
     * page faulted by T, or (forked) by P, which then forks T.
     */
    private static Sim faulted(String name, boolean forked, long addr, long len) {
        Sim s = new Sim(name + (forked ? "_forked" : ""));
        String first = forked ? "P" : "T";
        s.spawn(first).mmap(first, addr, len).write(first, addr, 1);
        if (forked) s.fork("P", "T");
        return s;
    }

    /** mremap_faulted_to_unfaulted_prev, and its merge_with_fork variant. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void mremapFaultedToUnfaultedPrev(boolean forked) {
        Sim s = faulted("mremap_faulted_to_unfaulted_prev", forked, 0x1004, 3);
        // A moved out of the way (pgoff kept: it is faulted); B mapped unfaulted where A's left neighbour goes
        s.run("""
                T mremap 0x1004 0x3 0x1014 0x3
                T mmap 0x1001 0x3 rw- anon
                """);
        // A moved back: copy_vma merges it into B (Case 1), unless A is a fork child
        s.run("T mremap 0x1014 0x3 0x1004 0x3");
        s.assertDrawing("T", forked ? """
                    <->             <->
                0123456789abcdef0123456
                .AAAbbb................
                """ : """
                    <->             <->
                0123456789abcdef0123456
                .aaaaaa................
                """);
        s.assertVma("T", 0x1001, 0x1001 + (forked ? 3 : 6));
        s.replay();
    }

    /** mremap_faulted_to_unfaulted_next (and merge_with_fork). */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void mremapFaultedToUnfaultedNext(boolean forked) {
        Sim s = faulted("mremap_faulted_to_unfaulted_next", forked, 0x1001, 3);
        // A moved out; B mapped unfaulted at A's right
        s.run("""
                T mremap 0x1001 0x3 0x1014 0x3
                T mmap 0x1004 0x3 rw- anon
                """);
        // A back: next expands over it and dups A's anon_vma
        s.run("T mremap 0x1014 0x3 0x1001 0x3");
        s.assertDrawing("T", forked ? """
                 <->                <->
                0123456789abcdef0123456
                .aaaBBB................
                """ : """
                 <->                <->
                0123456789abcdef0123456
                .aaaaaa................
                """);
        s.assertVma("T", 0x1001, 0x1001 + (forked ? 3 : 6));
        s.replay();
    }

    /** mremap_faulted_to_unfaulted_prev_unfaulted_next (and merge_with_fork): the 61f67c230a5e case. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void mremapFaultedToUnfaultedPrevUnfaultedNext(boolean forked) {
        Sim s = faulted("mremap_faulted_to_unfaulted_prev_unfaulted_next", forked, 0x1004, 3);
        // B moved out; A and C mapped unfaulted, the hole between is B's place
        s.run("""
                T mremap 0x1004 0x3 0x1014 0x3
                T mmap 0x1001 0x3 rw- anon
                T mmap 0x1007 0x3 rw- anon
                """);
        // B back: prev expands over B and C; the anon_vma comes from B (copied_from)
        s.run("T mremap 0x1014 0x3 0x1004 0x3");
        s.assertDrawing("T", forked ? """
                    <->             <->
                0123456789abcdef0123456
                .AAAbbbCCC.............
                """ : """
                    <->             <->
                0123456789abcdef0123456
                .aaaaaaaaa.............
                """);
        if (!forked) {
            s.assertVma("T", 0x1001, 0x100a);
            assertNotNull(s.anonVma("T", 0x1001));
            assertEquals(1, s.chain("T", 0x1001));
        } else {
            s.assertVma("T", 0x1001, 0x1004);
            s.assertVma("T", 0x1004, 0x1007);
            s.assertVma("T", 0x1007, 0x100a);
        }
        s.replay();
    }

    /** mremap_faulted_to_unfaulted_prev_faulted_next (and merge_with_fork). */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void mremapFaultedToUnfaultedPrevFaultedNext(boolean forked) {
        // B and C mapped together: one anon_vma, linear pgoffs
        Sim s = faulted("mremap_faulted_to_unfaulted_prev_faulted_next", forked, 0x1004, 6);
        // B moved out (the VMA is split; C stays, faulted); A mapped unfaulted
        s.run("""
                T mremap 0x1004 0x3 0x1014 0x3
                T mmap 0x1001 0x3 rw- anon
                """);
        // B back: A+B+C, or only B+C when B is a fork child (Case 3 still allows B+C)
        s.run("T mremap 0x1014 0x3 0x1004 0x3");
        s.assertDrawing("T", forked ? """
                    <->             <->
                0123456789abcdef0123456
                .AAAbbbbbb.............
                """ : """
                    <->             <->
                0123456789abcdef0123456
                .aaaaaaaaa.............
                """);
        if (forked) {
            s.assertVma("T", 0x1004, 0x100a);
            s.assertVma("T", 0x1001, 0x1004);
        } else {
            s.assertVma("T", 0x1001, 0x100a);
        }
        s.replay();
    }

    /** mremap_correct_placed_faulted: faulted pieces keep their pgoff and merge back in place. */
    @Test
    void mremapCorrectPlacedFaulted() {
        long p = 0x1001, p2 = p + 5, p3 = p + 10;
        Sim s = new Sim("mremap_correct_placed_faulted").run("""
                P spawn
                P mmap 0x1001 0xf rw- anon
                P touch 0x1001 0x1 write
                """);
        // ptr3 and ptr2 moved away (2000 and 1000 pages on), ptr2 back: merges
        s.mremap("P", p3, 5, p3 + 2000).mremap("P", p2, 5, p2 + 1000);
        s.mremap("P", p2 + 1000, 5, p2);
        s.assertVma("P", p, p + 10);
        s.mremap("P", p, 5, p + 1000); // ptr out
        s.mremap("P", p + 1000, 5, p); // and back: merges
        s.assertVma("P", p, p + 10);
        s.mremap("P", p, 5, p + 1000); // ptr out again
        s.mremap("P", p3 + 2000, 5, p3); // ptr3 back after ptr2
        s.assertVma("P", p2, p2 + 10);
        s.mremap("P", p + 1000, 5, p); // ptr back: all 15
        s.assertVma("P", p, p + 15);
        s.mremap("P", p2, 5, p2 + 1000).mremap("P", p2 + 1000, 5, p2); // ptr2 out and back
        s.assertVma("P", p, p + 15);
        s.mremap("P", p3, 5, p3 + 1000).mremap("P", p3 + 1000, 5, p3); // ptr3 out and back
        s.assertVma("P", p, p + 15);
        s.assertLive(anonVmas(1), avcs(1), vmas(1));
        s.replay();
    }
}
