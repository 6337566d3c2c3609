package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import rmaplab.workload.Advice;
import rmaplab.workload.MapFlag;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/**
 * The mmap flags MAP_NORESERVE and MAP_STACK and the advices MADV_HUGEPAGE /
 * MADV_NOHUGEPAGE: the VM flags they give and how those decide merges
 * (is_mergeable_vma compares every flag but VM_SOFTDIRTY and VM_MAYBE_GUARD).
 * The same cases run on the live kernel as examples/kernel/k40-k43.
 */
class MapFlagsTest {
    private static Op mmap(long a, long n, Prot p, MapFlag... f) {
        return new Op.Mmap("P", a, n, p, MapKind.ANON, Set.of(f));
    }

    /** The VMAs of P as "start-end flags", the flags as VmFlags.describe spells them. */
    private static String vmas(SimFixture s) {
        StringJoiner j = new StringJoiner(" | ");
        for (Vma v : s.m.task("P").mm().vmas())
            j.add(Long.toHexString(v.start()) + "-" + Long.toHexString(v.end()) + " " + VmFlags.describe(v.flags()));
        return j.toString();
    }

    @Test
    void aThreadStackDoesNotMergeWithAnOrdinaryNeighbour() {
        SimFixture s = new SimFixture().spawn("P");
        //   0123456789
        //   AAAASSSS          A anon rw-, S a MAP_STACK thread stack: VM_NOHUGEPAGE keeps them apart
        s.op(mmap(0, 4, Prot.RW)).op(mmap(4, 4, Prot.RW, MapFlag.STACK));
        assertEquals("0-4 rw-p account | 4-8 rw-p account nohugepage", vmas(s));
        //   AAAASSSSTT        a second stack beside the first merges with it (equal flags)
        s.op(mmap(8, 2, Prot.RW, MapFlag.STACK));
        assertEquals("0-4 rw-p account | 4-a rw-p account nohugepage", vmas(s));
        assertEquals(2, s.m.liveVmas());
    }

    @Test
    void noreserveIsNeverChargedSoItsPiecesMergeBack() {
        SimFixture s = new SimFixture().spawn("P");
        //   0123456789
        //   RRRRRRRR          a MAP_NORESERVE reservation, ---: VM_NORESERVE, no VM_ACCOUNT
        s.op(mmap(0, 8, Prot.NONE, MapFlag.NORESERVE));
        assertEquals("0-8 ---p noreserve", vmas(s));
        //   RRCCRRRR          pages 2-3 committed rw- and written: mprotect_fixup does not charge them
        s.mprotect("P", 2, 2, Prot.RW).write("P", 2, 2);
        assertEquals("0-2 ---p noreserve | 2-4 rw-p noreserve | 4-8 ---p noreserve", vmas(s));
        //   RRRRRRRR          decommitted: the faulted piece has no VM_ACCOUNT to keep, so all three merge
        s.mprotect("P", 2, 2, Prot.NONE);
        assertEquals("0-8 ---p noreserve", vmas(s));
        assertEquals(1, s.m.liveVmas());
    }

    @Test
    void withoutNoreserveTheFaultedPieceStaysCharged() {
        SimFixture s = new SimFixture().spawn("P");
        // the same steps on an ordinary mapping: the written piece keeps VM_ACCOUNT and stays apart
        s.op(mmap(0, 8, Prot.NONE)).mprotect("P", 2, 2, Prot.RW).write("P", 2, 2).mprotect("P", 2, 2, Prot.NONE);
        assertEquals("0-2 ---p | 2-4 ---p account | 4-8 ---p", vmas(s));
    }

    @Test
    void noreserveAndReservingNeighboursDoNotMerge() {
        SimFixture s = new SimFixture().spawn("P");
        s.op(mmap(0, 4, Prot.RW)).op(mmap(4, 4, Prot.RW, MapFlag.NORESERVE));
        assertEquals("0-4 rw-p account | 4-8 rw-p noreserve", vmas(s));
    }

    @Test
    void hugepageAdviceSplitsAndTheOppositeDoesNotMergeBack() {
        SimFixture s = new SimFixture().spawn("P");
        //   0123456789
        //   AAAAAAAAAA        rw-, written
        s.op(mmap(0, 10, Prot.RW)).write("P", 0, 10);
        //   AAAHHHHAAA        MADV_HUGEPAGE on 3-6: madvise_update_vma splits out the middle
        s.op(new Op.Madvise("P", 3, 4, Advice.HUGEPAGE));
        assertEquals("0-3 rw-p account | 3-7 rw-p account hugepage | 7-a rw-p account", vmas(s));
        //   AAANNNNAAA        MADV_NOHUGEPAGE there: VM_HUGEPAGE off, VM_NOHUGEPAGE on; still three
        s.op(new Op.Madvise("P", 3, 4, Advice.NOHUGEPAGE));
        assertEquals("0-3 rw-p account | 3-7 rw-p account nohugepage | 7-a rw-p account", vmas(s));
        //   NNNNNNNNNN        NOHUGEPAGE on the rest: equal flags, merged into one again
        s.op(new Op.Madvise("P", 0, 10, Advice.NOHUGEPAGE));
        assertEquals("0-a rw-p account nohugepage", vmas(s));
        // the same advice again changes nothing (madvise_update_vma returns early)
        s.op(new Op.Madvise("P", 0, 10, Advice.NOHUGEPAGE));
        assertEquals(1, s.m.liveVmas());
        assertEquals(0, s.m.errors().size());
    }

    @Test
    void forkKeepsTheFlags() {
        SimFixture s = new SimFixture().spawn("P");
        s.op(mmap(0, 2, Prot.RW, MapFlag.NORESERVE, MapFlag.STACK)).op(new Op.Madvise("P", 0, 1, Advice.HUGEPAGE));
        s.fork("P", "C");
        assertEquals("0-1 rw-p noreserve hugepage | 1-2 rw-p noreserve nohugepage", vmas(s));
        StringJoiner j = new StringJoiner(" | ");
        for (Vma v : s.m.task("C").mm().vmas()) j.add(VmFlags.describe(v.flags()));
        assertEquals("rw-p noreserve hugepage | rw-p noreserve nohugepage", j.toString());
    }
}
