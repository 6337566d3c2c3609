package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Split and merge as mm/vma.c does them (vma_modify, vma_merge_*), on the pv
 * design (which never refuses a merge). The drawings follow
 * AddressSpaceDrawing's legend: the range of the last op marked as
 * tools/testing/vma marks it, a ruler of page numbers, one letter per VMA
 * (lower case once it has an anon_vma), '.' a hole.
 */
class VmaOpsTest {
    @Test
    void mprotectSplitsInThreeAndMergesBack() {
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0xa rw- anon
                P touch 0x0 0xa write
                """);
        s.assertDrawing("P", """
                <-------->
                0123456789
                aaaaaaaaaa
                """);
        assertEquals("0-a rw-p 0 anon", s.vmas("P"));
        // the middle read-only: vma_modify splits below and above
        s.run("P mprotect 0x3 0x3 r--");
        s.assertDrawing("P", """
                   <->
                0123456789
                aaabbbcccc
                """);
        assertEquals("0-3 rw-p 0 anon | 3-6 r--p 3 anon | 6-a rw-p 6 anon", s.vmas("P"));
        assertEquals(3, s.m.liveVmas());
        // back to rw-: vma_merge_existing_range joins prev, middle and next
        s.run("P mprotect 0x3 0x3 rw-");
        s.assertDrawing("P", """
                   <->
                0123456789
                aaaaaaaaaa
                """);
        assertEquals("0-a rw-p 0 anon", s.vmas("P"));
        assertEquals(1, s.m.liveVmas());
    }

    @Test
    void partialMprotectAtAnEdgeMergesIntoTheNeighbour() {
        // A and B mapped rw- (both charged: VM_ACCOUNT), then A made r--
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x5 rw- anon
                P mprotect 0x0 0x5 r--
                P mmap 0x5 0x5 rw- anon
                """);
        s.assertDrawing("P", """
                     <--->
                0123456789
                AAAAABBBBB
                """);
        assertEquals("0-5 r--p 0 | 5-a rw-p 5", s.vmas("P"));
        // pages 5-6 become r--: prev grows, B shrinks (__adjust_middle_start)
        s.run("P mprotect 0x5 0x2 r--");
        s.assertDrawing("P", """
                     <>
                0123456789
                AAAAAAABBB
                """);
        assertEquals("0-7 r--p 0 | 7-a rw-p 7", s.vmas("P"));
    }

    @Test
    void vmAccountDecidesWhetherReadOnlyNeighboursMerge() {
        // A mapped r-- (never charged), B rw- (charged: VM_ACCOUNT)
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x5 r-- anon
                P mmap 0x5 0x5 rw- anon
                """);
        // pages 5-6 r--: B has no anon_vma, so mprotect_fixup un-charges that part, and it merges with A
        s.run("P mprotect 0x5 0x2 r--");
        s.assertDrawing("P", """
                     <>
                0123456789
                AAAAAAABBB
                """);
        assertEquals("0-7 r--p 0 | 7-a rw-p 7", s.vmas("P"));
        // B written first: pages 7-8 r-- stay charged and do not merge with A
        s.run("""
                P touch 0x7 0x3 write
                P mprotect 0x7 0x2 r--
                """);
        s.assertDrawing("P", """
                       <>
                0123456789
                AAAAAAAbbc
                """);
        assertEquals("0-7 r--p 0 | 7-9 r--p 7 anon | 9-a rw-p 9 anon", s.vmas("P"));
    }

    @Test
    void newMappingsExpandAdjacentOnesAndRefuseNonLinearPgoff() {
        // an adjacent mmap with equal flags: A expands (vma_merge_new_range)
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x4 rw- anon
                P mmap 0x4 0x4 rw- anon
                """);
        s.assertDrawing("P", """
                    <-->
                01234567
                AAAAAAAA
                """);
        assertEquals("0-8 rw-p 0", s.vmas("P"));
        // a gap: no merge
        s.run("P mmap 0xa 0x2 rw- anon");
        s.assertDrawing("P", """
                          <>
                0123456789ab
                AAAAAAAA..BB
                """);
        assertEquals("0-8 rw-p 0 | a-c rw-p a", s.vmas("P"));
        // the hole filled with rw-: prev and next join
        s.run("P mmap 0x8 0x2 rw- anon");
        s.assertDrawing("P", """
                        <>
                0123456789ab
                AAAAAAAAAAAA
                """);
        assertEquals("0-c rw-p 0", s.vmas("P"));
    }

    @Test
    void munmapSplitsAtTheEdges() {
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0xa rw- anon
                P touch 0x0 0xa write
                P munmap 0x2 0x4
                """);
        s.assertDrawing("P", """
                  <-->
                0123456789
                aa....bbbb
                """);
        assertEquals("0-2 rw-p 0 anon | 6-a rw-p 6 anon", s.vmas("P"));
        assertEquals(6, s.m.folios().liveCount());
    }

    @Test
    void mprotectOverAHoleChangesWhatComesBeforeItAndFails() {
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x4 rw- anon
                P mmap 0x6 0x4 rw- anon
                """);
        // mprotect 2-7 r--: pages 2-3 change, then the hole: ENOMEM
        s.run("P mprotect 0x2 0x6 r--");
        s.assertDrawing("P", """
                  <---->
                0123456789
                AABB..CCCC
                """);
        assertEquals("0-2 rw-p 0 | 2-4 r--p 2 | 6-a rw-p 6", s.vmas("P"));
        assertEquals(1, s.errors("mprotect ENOMEM"));
    }

    @Test
    void mremapMoveKeepsPgoffOfAFaultedVmaAndRebasesAnUnfaultedOne() {
        // A written, B not
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x4 rw- anon
                P touch 0x0 0x4 write
                P mmap 0x8 0x4 rw- anon
                """);
        // A moved to 0xd: copy_vma keeps pgoff 0 (folio->index stays valid)
        s.run("P mremap 0x0 0x4 0xd 0x4");
        s.assertDrawing("P", """
                <-->         <-->
                0123456789abcdef0
                ........AAAA.bbbb
                """);
        assertEquals("8-c rw-p 8 | d-11 rw-p 0 anon", s.vmas("P"));
        // B moved next to nothing: unfaulted, pgoff = new address
        s.run("P mremap 0x8 0x4 0x20 0x4");
        s.assertDrawing("P", """
                        <-->                    <-->
                0123456789abcdef0123456789abcdef0123
                .............aaaa...............BBBB
                """);
        assertEquals("d-11 rw-p 0 anon | 20-24 rw-p 20", s.vmas("P"));
        // the moved folios are still found by their walk (the fixture's oracle checked after every op)
        assertEquals(4, s.m.folios().liveCount());
    }

    @Test
    void mremapGrowsInPlaceOnlyIntoFreePages() {
        // B read-only: it cannot merge with A
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x4 rw- anon
                P mmap 0x6 0x2 r-- anon
                """);
        // grow to 6 pages: fits
        s.run("P mremap 0x0 0x4 0x0 0x6");
        s.assertDrawing("P", """
                <---->
                01234567
                AAAAAABB
                """);
        assertEquals("0-6 rw-p 0 | 6-8 r--p 6", s.vmas("P"));
        // grow to 7: B is in the way, no MREMAP_MAYMOVE: ENOMEM, nothing changes
        s.run("P mremap 0x0 0x6 0x0 0x7");
        s.assertDrawing("P", """
                <----->
                01234567
                AAAAAABB
                """);
        assertEquals(1, s.errors("mremap ENOMEM"));
        // shrink: the tail is unmapped
        s.run("P mremap 0x0 0x6 0x0 0x2");
        s.assertDrawing("P", """
                <---->
                01234567
                AA....BB
                """);
        assertEquals("0-2 rw-p 0 | 6-8 r--p 6", s.vmas("P"));
    }

    @Test
    void mremapGrowthThatReachesACompatibleNeighbourMerges() {
        // both rw-, linear pgoff
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x4 rw- anon
                P mmap 0x6 0x2 rw- anon
                """);
        // vma_merge_extend: the extension joins A and B
        s.run("P mremap 0x0 0x4 0x0 0x6");
        s.assertDrawing("P", """
                <---->
                01234567
                AAAAAAAA
                """);
        assertEquals("0-8 rw-p 0", s.vmas("P"));
    }
}
