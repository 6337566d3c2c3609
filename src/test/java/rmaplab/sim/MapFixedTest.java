package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rmaplab.ledger.Ledgers;
import rmaplab.testing.Scenario;
import rmaplab.workload.Op;

/**
 * mmap with MAP_FIXED over existing mappings (the FLAG fixed), in the order of
 * __mmap_region (mm/vma.c): gather the old VMAs (split at the edges), charge,
 * zap and detach them, merge the range or map a new VMA, and only then free
 * the old VMAs. The same cases run on the live kernel as examples/kernel/k45-k51.
 * The drawings follow AddressSpaceDrawing's legend.
 */
class MapFixedTest {
    @Test
    void replacingTheMiddleVmaMergesBothNeighbours() {
        // k45: prev never written, the middle read-only, next written
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x2 rw- anon
                P mmap 0x2 0x2 r-- anon
                P mmap 0x4 0x2 rw- anon
                P touch 0x2 0x1 read
                P touch 0x4 0x1 write
                """);
        s.assertDrawing("P", """
                    -
                012345
                AABBcc
                """);
        s.run("P mmap 0x2 0x2 rw- anon fixed");
        // prev grew over the range and over next, whose anon_vma it took (dup_anon_vma)
        s.assertDrawing("P", """
                  <>
                012345
                aaaaaa
                """);
        assertEquals("0-6 rw-p 0 anon", s.vmas("P"));
        assertEquals(1, s.m.liveVmas());
        // the page written in next keeps its folio; the replaced range maps nothing
        assertEquals(1, s.mapcount("P", 0x4));
        assertEquals(0, s.pte("P", 0x2));
    }

    @Test
    void replacingTheMiddleOfAWrittenVmaJoinsItsTwoPiecesAgain() {
        // k48: the gather splits the VMA in three; the new range (no anon_vma of its own) joins both pieces,
        // which share one anon_vma
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x6 rw- anon
                P touch 0x0 0x6 write
                P mmap 0x2 0x2 rw- anon fixed
                """);
        s.assertDrawing("P", """
                  <>
                012345
                aaaaaa
                """);
        assertEquals(1, s.m.liveVmas());
        assertEquals(0, s.pte("P", 0x2));
        assertEquals(0, s.pte("P", 0x3));
        assertEquals(1, s.mapcount("P", 0x4));
    }

    @Test
    void acrossSeveralVmasBothEdgesSplit() {
        // k49, shortened: the range starts in the first VMA and ends in the third
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x4 rw- anon
                P mmap 0x4 0x4 r-- anon
                P mmap 0x8 0x4 rw- anon noreserve
                P touch 0x0 0x4 write
                P touch 0x8 0x4 write
                P mmap 0x2 0x8 r-x anon fixed
                """);
        s.assertDrawing("P", """
                  <------>
                0123456789ab
                aaBBBBBBBBcc
                """);
        assertEquals("0-2 rw-p 0 anon | 2-a r-xp 2 | a-c rw-p a anon", s.vmas("P"));
    }

    @Test
    void aRefusedChargeLeavesTheEdgeSplitAndTheOldPages() {
        // k51: vms_abort_munmap_vmas reattaches the gathered VMAs; the split at the start stays
        SimFixture s = new SimFixture(MachineConfig.defaults().withCommitLimit(8)).run("""
                P spawn
                P mmap 0x0 0x4 rw- anon
                P touch 0x0 0x4 write
                P mmap 0x2 0x10 rw- anon fixed
                """);
        assertEquals(Map.of("mmap ENOMEM", 1L), s.m.errors());
        s.assertDrawing("P", """
                  <-------------->
                0123456789abcdef01
                aabb..............
                """);
        assertEquals("0-2 rw-p 0 anon | 2-4 rw-p 2 anon", s.vmas("P"));
        assertEquals(1, s.mapcount("P", 0x3));
        // MAP_NORESERVE is not charged: the same call succeeds
        s.run("P mmap 0x2 0x10 rw- anon fixed,noreserve");
        assertEquals(1, s.m.errors().get("mmap ENOMEM"));
        assertEquals(0, s.pte("P", 0x3));
    }

    @Test
    void theOldVmasAreDetachedBeforeTheNewMappingAndFreedAfterIt() {
        // a design that logs the hooks: the REMOVE change comes first, the old VMA is still allocated while
        // the merge runs, and vm_area_free comes after it (vms_complete_munmap_vmas)
        List<String> log = new ArrayList<>();
        List<Vma> removed = new ArrayList<>();
        Machine m = new Machine(MachineConfig.defaults(), new Ledgers(), ctx -> new RmapDesign() {
            @Override public void vmaComplete(VmaChange c) {
                removed.addAll(c.removed());
                StringBuilder b = new StringBuilder(c.kind().toString());
                for (Vma r : removed) b.append(r.alive() ? " old-alive" : " old-freed");
                log.add(b.toString());
            }

            @Override public void walk(int folio, WalkSink sink) {}
        });
        Scenario sc = Scenario.of("fixed", "rmaplab-workload 1\n");
        for (Op op : sc.then("""
                P spawn
                P mmap 0x0 0x2 rw- anon
                P mmap 0x2 0x2 r-- anon
                """)) m.apply(op);
        log.clear();
        removed.clear();
        for (Op op : sc.then("P mmap 0x2 0x2 rw- anon fixed")) m.apply(op);
        assertEquals(List.of("REMOVE old-alive", "MERGE_NEW old-alive"), log);
        assertTrue(removed.stream().noneMatch(Vma::alive), "the old VMA is freed at the end of the call");
    }

    @Test
    void withoutTheFlagAnOverlapIsAWorkloadError() {
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x2 rw- anon
                """);
        try {
            s.run("P mmap 0x1 0x2 rw- anon");
            throw new AssertionError("an overlapping mmap without fixed was accepted");
        } catch (WorkloadError e) {
            assertTrue(e.getMessage().contains("the FLAG fixed replaces it"), e.getMessage());
        }
    }
}
