package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * The mmap flags MAP_NORESERVE and MAP_STACK and the advices MADV_HUGEPAGE /
 * MADV_NOHUGEPAGE: the VM flags they give and how those decide merges
 * (is_mergeable_vma compares every flag but VM_SOFTDIRTY and VM_MAYBE_GUARD).
 * The same cases run on the live kernel as examples/kernel/k40-k43. The
 * drawings follow AddressSpaceDrawing's legend.
 */
class MapFlagsTest {
    /** The VMAs of P as "start-end flags", the flags as VmFlags.describe spells them. */
    private static String vmas(SimFixture s) {
        StringJoiner j = new StringJoiner(" | ");
        for (Vma v : s.m.task("P").mm().vmas())
            j.add(Long.toHexString(v.start()) + "-" + Long.toHexString(v.end()) + " " + VmFlags.describe(v.flags()));
        return j.toString();
    }

    @Test
    void aThreadStackDoesNotMergeWithAnOrdinaryNeighbour() {
        // an anon rw- mapping, then a MAP_STACK thread stack beside it: VM_NOHUGEPAGE keeps them apart
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x4 rw- anon
                P mmap 0x4 0x4 rw- anon stack
                """);
        s.assertDrawing("P", """
                    <-->
                01234567
                AAAABBBB
                """);
        assertEquals("0-4 rw-p account | 4-8 rw-p account nohugepage", vmas(s));
        // a second stack beside the first merges with it (equal flags)
        s.run("P mmap 0x8 0x2 rw- anon stack");
        s.assertDrawing("P", """
                        <>
                0123456789
                AAAABBBBBB
                """);
        assertEquals("0-4 rw-p account | 4-a rw-p account nohugepage", vmas(s));
        assertEquals(2, s.m.liveVmas());
    }

    @Test
    void noreserveIsNeverChargedSoItsPiecesMergeBack() {
        // a MAP_NORESERVE reservation, ---: VM_NORESERVE, no VM_ACCOUNT
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x8 --- anon noreserve
                """);
        assertEquals("0-8 ---p noreserve", vmas(s));
        // pages 2-3 committed rw- and written: mprotect_fixup does not charge them
        s.run("""
                P mprotect 0x2 0x2 rw-
                P touch 0x2 0x2 write
                """);
        s.assertDrawing("P", """
                  <>
                01234567
                AAbbCCCC
                """);
        assertEquals("0-2 ---p noreserve | 2-4 rw-p noreserve | 4-8 ---p noreserve", vmas(s));
        // decommitted: the faulted piece has no VM_ACCOUNT to keep, so all three merge
        s.run("P mprotect 0x2 0x2 ---");
        s.assertDrawing("P", """
                  <>
                01234567
                aaaaaaaa
                """);
        assertEquals("0-8 ---p noreserve", vmas(s));
        assertEquals(1, s.m.liveVmas());
    }

    @Test
    void withoutNoreserveTheFaultedPieceStaysCharged() {
        // the same steps on an ordinary mapping: the written piece keeps VM_ACCOUNT and stays apart
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x8 --- anon
                P mprotect 0x2 0x2 rw-
                P touch 0x2 0x2 write
                P mprotect 0x2 0x2 ---
                """);
        s.assertDrawing("P", """
                  <>
                01234567
                AAbbCCCC
                """);
        assertEquals("0-2 ---p | 2-4 ---p account | 4-8 ---p", vmas(s));
    }

    @Test
    void noreserveAndReservingNeighboursDoNotMerge() {
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x4 rw- anon
                P mmap 0x4 0x4 rw- anon noreserve
                """);
        assertEquals("0-4 rw-p account | 4-8 rw-p noreserve", vmas(s));
    }

    @Test
    void hugepageAdviceSplitsAndTheOppositeDoesNotMergeBack() {
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0xa rw- anon
                P touch 0x0 0xa write
                """);
        // MADV_HUGEPAGE on 3-6: madvise_update_vma splits out the middle
        s.run("P madvise 0x3 0x4 hugepage");
        s.assertDrawing("P", """
                   <-->
                0123456789
                aaabbbbccc
                """);
        assertEquals("0-3 rw-p account | 3-7 rw-p account hugepage | 7-a rw-p account", vmas(s));
        // MADV_NOHUGEPAGE there: VM_HUGEPAGE off, VM_NOHUGEPAGE on; still three
        s.run("P madvise 0x3 0x4 nohugepage");
        s.assertDrawing("P", """
                   <-->
                0123456789
                aaabbbbccc
                """);
        assertEquals("0-3 rw-p account | 3-7 rw-p account nohugepage | 7-a rw-p account", vmas(s));
        // NOHUGEPAGE on the rest: equal flags, merged into one again
        s.run("P madvise 0x0 0xa nohugepage");
        s.assertDrawing("P", """
                <-------->
                0123456789
                aaaaaaaaaa
                """);
        assertEquals("0-a rw-p account nohugepage", vmas(s));
        // the same advice again changes nothing (madvise_update_vma returns early)
        s.run("P madvise 0x0 0xa nohugepage");
        assertEquals(1, s.m.liveVmas());
        assertEquals(0, s.m.errors().size());
    }

    @Test
    void forkKeepsTheFlags() {
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x2 rw- anon noreserve,stack
                P madvise 0x0 0x1 hugepage
                P fork C
                """);
        assertEquals("0-1 rw-p noreserve hugepage | 1-2 rw-p noreserve nohugepage", vmas(s));
        StringJoiner j = new StringJoiner(" | ");
        for (Vma v : s.m.task("C").mm().vmas()) j.add(VmFlags.describe(v.flags()));
        assertEquals("rw-p noreserve hugepage | rw-p noreserve nohugepage", j.toString());
    }
}
