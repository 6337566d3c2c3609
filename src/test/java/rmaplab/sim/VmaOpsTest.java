package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import rmaplab.workload.Prot;

/** Split and merge as mm/vma.c does them (vma_modify, vma_merge_*), on the pv design (which never refuses a merge). */
class VmaOpsTest {
    @Test
    void mprotectSplitsInThreeAndMergesBack() {
        SimFixture s = new SimFixture().spawn("P");
        //   0123456789
        //   AAAAAAAAAA        rw-, written
        s.mmap("P", 0, 10, Prot.RW).write("P", 0, 10);
        assertEquals("0-a rw-p 0 anon", s.vmas("P"));
        //   AAABBBCCCC        B read-only: vma_modify splits below and above
        s.mprotect("P", 3, 3, Prot.R);
        assertEquals("0-3 rw-p 0 anon | 3-6 r--p 3 anon | 6-a rw-p 6 anon", s.vmas("P"));
        assertEquals(3, s.m.liveVmas());
        //   AAAAAAAAAA        back to rw-: vma_merge_existing_range joins prev, middle and next
        s.mprotect("P", 3, 3, Prot.RW);
        assertEquals("0-a rw-p 0 anon", s.vmas("P"));
        assertEquals(1, s.m.liveVmas());
    }

    @Test
    void partialMprotectAtAnEdgeMergesIntoTheNeighbour() {
        SimFixture s = new SimFixture().spawn("P");
        //   0123456789
        //   AAAAABBBBB        A and B mapped rw- (both charged: VM_ACCOUNT), then A made r--
        s.mmap("P", 0, 5, Prot.RW).mprotect("P", 0, 5, Prot.R).mmap("P", 5, 5, Prot.RW);
        assertEquals("0-5 r--p 0 | 5-a rw-p 5", s.vmas("P"));
        //   AAAAAAABBB        pages 5-6 become r--: prev grows, B shrinks (__adjust_middle_start)
        s.mprotect("P", 5, 2, Prot.R);
        assertEquals("0-7 r--p 0 | 7-a rw-p 7", s.vmas("P"));
    }

    @Test
    void vmAccountDecidesWhetherReadOnlyNeighboursMerge() {
        SimFixture s = new SimFixture().spawn("P");
        //   0123456789
        //   AAAAABBBBB        A mapped r-- (never charged), B rw- (charged: VM_ACCOUNT)
        s.mmap("P", 0, 5, Prot.R).mmap("P", 5, 5, Prot.RW);
        //   AAAAAAABBB        pages 5-6 r--: B has no anon_vma, so mprotect_fixup un-charges
        //                     that part, and it merges with A
        s.mprotect("P", 5, 2, Prot.R);
        assertEquals("0-7 r--p 0 | 7-a rw-p 7", s.vmas("P"));
        //   AAAAAAACCB        B written first: pages 7-8 r-- stay charged and do not merge with A
        s.write("P", 7, 3).mprotect("P", 7, 2, Prot.R);
        assertEquals("0-7 r--p 0 | 7-9 r--p 7 anon | 9-a rw-p 9 anon", s.vmas("P"));
    }

    @Test
    void newMappingsExpandAdjacentOnesAndRefuseNonLinearPgoff() {
        SimFixture s = new SimFixture().spawn("P");
        //   0123456789
        //   AAAA              mmap
        //   AAAAAAAA          adjacent mmap with equal flags: A expands (vma_merge_new_range)
        s.mmap("P", 0, 4, Prot.RW).mmap("P", 4, 4, Prot.RW);
        assertEquals("0-8 rw-p 0", s.vmas("P"));
        //   AAAAAAAA  BB      a gap: no merge
        s.mmap("P", 0xa, 2, Prot.RW);
        assertEquals("0-8 rw-p 0 | a-c rw-p a", s.vmas("P"));
        //   AAAAAAAA--BB      the hole filled with rw-: prev and next join
        s.mmap("P", 8, 2, Prot.RW);
        assertEquals("0-c rw-p 0", s.vmas("P"));
    }

    @Test
    void munmapSplitsAtTheEdges() {
        SimFixture s = new SimFixture().spawn("P");
        //   0123456789
        //   AAAAAAAAAA
        //   AA    AAAA        munmap 2-5
        s.mmap("P", 0, 10, Prot.RW).write("P", 0, 10).munmap("P", 2, 4);
        assertEquals("0-2 rw-p 0 anon | 6-a rw-p 6 anon", s.vmas("P"));
        assertEquals(6, s.m.folios().liveCount());
    }

    @Test
    void mprotectOverAHoleChangesWhatComesBeforeItAndFails() {
        SimFixture s = new SimFixture().spawn("P");
        //   0123456789
        //   AAAA  BBBB
        s.mmap("P", 0, 4, Prot.RW).mmap("P", 6, 4, Prot.RW);
        //   AArr  BBBB        mprotect 2-7 r--: pages 2-3 change, then the hole: ENOMEM
        s.mprotect("P", 2, 6, Prot.R);
        assertEquals("0-2 rw-p 0 | 2-4 r--p 2 | 6-a rw-p 6", s.vmas("P"));
        assertEquals(1, s.errors("mprotect ENOMEM"));
    }

    @Test
    void mremapMoveKeepsPgoffOfAFaultedVmaAndRebasesAnUnfaultedOne() {
        SimFixture s = new SimFixture().spawn("P");
        //   0123456789abcdef
        //   AAAA    BBBB       A written, B not
        s.mmap("P", 0, 4, Prot.RW).write("P", 0, 4).mmap("P", 8, 4, Prot.RW);
        //           BBBB AAAA  A moved to 0xd: copy_vma keeps pgoff 0 (folio->index stays valid)
        s.mremap("P", 0, 4, 0xd, 4);
        assertEquals("8-c rw-p 8 | d-11 rw-p 0 anon", s.vmas("P"));
        //                    BBBB   B moved next to nothing: unfaulted, pgoff = new address
        s.mremap("P", 8, 4, 0x20, 4);
        assertEquals("d-11 rw-p 0 anon | 20-24 rw-p 20", s.vmas("P"));
        // the moved folios are still found by their walk (the fixture's oracle checked after every op)
        assertEquals(4, s.m.folios().liveCount());
    }

    @Test
    void mremapGrowsInPlaceOnlyIntoFreePages() {
        SimFixture s = new SimFixture().spawn("P");
        //   0123456789
        //   AAAA  BB          B read-only: it cannot merge with A
        s.mmap("P", 0, 4, Prot.RW).mmap("P", 6, 2, Prot.R);
        //   AAAAAABB          grow to 6 pages: fits
        s.mremap("P", 0, 4, 0, 6);
        assertEquals("0-6 rw-p 0 | 6-8 r--p 6", s.vmas("P"));
        //   grow to 7: B is in the way, no MREMAP_MAYMOVE: ENOMEM
        s.mremap("P", 0, 6, 0, 7);
        assertEquals(1, s.errors("mremap ENOMEM"));
        //   AA    BB          shrink: the tail is unmapped
        s.mremap("P", 0, 6, 0, 2);
        assertEquals("0-2 rw-p 0 | 6-8 r--p 6", s.vmas("P"));
    }

    @Test
    void mremapGrowthThatReachesACompatibleNeighbourMerges() {
        SimFixture s = new SimFixture().spawn("P");
        //   0123456789
        //   AAAA  BB          both rw-, linear pgoff
        s.mmap("P", 0, 4, Prot.RW).mmap("P", 6, 2, Prot.RW);
        //   AAAAAAAA          vma_merge_extend: the extension joins A and B
        s.mremap("P", 0, 4, 0, 6);
        assertEquals("0-8 rw-p 0", s.vmas("P"));
    }
}
