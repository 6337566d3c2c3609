package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.ledger.Ledgers;
import rmaplab.testing.AddressSpaceDrawing;
import rmaplab.testing.Scenario;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadWriter;

/**
 * mremap as 6.18 mm/mremap.c does it: check_prep_vma before anything is
 * unmapped, and remap_move of several VMAs in one same-size move. The
 * drawings (AddressSpaceDrawing's legend) show windows of six pages at 0x100
 * and 0x200, with the last op's range marked.
 */
class MremapChecksTest {
    /** A machine after a scenario, and the scenario's last op. */
    private record Run(Machine m, Op last) {
        /** Asserts the task's six pages from {@code from}. */
        void assertWindow(String task, long from, String expected) {
            AddressSpaceDrawing.assertDrawing(expected, m, task, last, from, from + 6);
        }
    }

    private static Run run(String workload) {
        KernelInvariants.IndexRecorder[] d = new KernelInvariants.IndexRecorder[1];
        Machine m = new Machine(MachineConfig.defaults(), new Ledgers(), ctx -> d[0] = new KernelInvariants.IndexRecorder(ctx));
        List<Op> ops = Scenario.ops(workload);
        for (Op op : ops) {
            m.apply(op);
            assertNull(KernelInvariants.check(m, d[0]), "after " + WorkloadWriter.format(op));
        }
        return new Run(m, ops.get(ops.size() - 1));
    }

    private static long efaults(Run r) { return r.m.errors().getOrDefault("mremap EFAULT", 0L); }

    /** The VMAs of P's mm as "[start,end) rwx" strings, ascending. */
    private static String layout(Run r) {
        StringBuilder b = new StringBuilder();
        for (Vma v : r.m.task("P").mm().vmas())
            b.append('[').append(Long.toHexString(v.start())).append(',').append(Long.toHexString(v.end())).append(") ")
                    .append(VmFlags.describe(v.flags()).substring(0, 3)).append(' ');
        return b.toString().trim();
    }

    /** mremap from 0x150 (nothing there) to 0x200, where B lies written: EFAULT, B untouched. */
    @Test
    void noVmaAtTheSourceFailsBeforeTheDestinationIsUnmapped() {
        Run r = run("""
                rmaplab-workload 1
                P spawn
                P mmap 0x100 0x2 rw- anon
                P mmap 0x200 0x2 rw- anon
                P touch 0x200 0x2 write
                P mremap 0x150 0x2 0x200 0x2
                P mremap 0x150 0x2 0x200 0x3
                """);
        assertEquals(2, efaults(r));
        r.assertWindow("P", 0x100, """
                012345
                AA....
                """);
        r.assertWindow("P", 0x200, """
                <->
                012345
                bb....
                """);
        assertEquals("[100,102) rw- [200,202) rw-", layout(r));
        assertEquals(2, r.m.folios().liveCount());
    }

    /**
     * B written. mremap 0x100 len 4 to 0x200 len 5 (a growth that crosses A's
     * end): EFAULT, B untouched; len 3 to len 1 (a shrink that crosses A's
     * end): EFAULT too, A not shrunk.
     */
    @Test
    void aRangeCrossingTheVmaEndFailsBeforeAnythingIsUnmapped() {
        Run r = run("""
                rmaplab-workload 1
                P spawn
                P mmap 0x100 0x2 rw- anon
                P mmap 0x200 0x3 rw- anon
                P touch 0x200 0x3 write
                P mremap 0x100 0x4 0x200 0x5
                P mremap 0x100 0x3 0x200 0x1
                """);
        assertEquals(2, efaults(r));
        r.assertWindow("P", 0x100, """
                <->
                012345
                AA....
                """);
        r.assertWindow("P", 0x200, """
                -
                012345
                bbb...
                """);
        assertEquals("[100,102) rw- [200,203) rw-", layout(r));
        assertEquals(3, r.m.folios().liveCount());
    }

    /** mremap 0x100 len 3 to len 1 (or 3) in place: no VMA at 0x100, EFAULT, A kept. */
    @Test
    void aShrinkNeedsAVmaAtTheAddress() {
        Run r = run("""
                rmaplab-workload 1
                P spawn
                P mmap 0x101 0x2 rw- anon
                P mremap 0x100 0x3 0x100 0x1
                P mremap 0x100 0x3 0x100 0x3
                """);
        assertEquals(2, efaults(r));
        r.assertWindow("P", 0x100, """
                <->
                012345
                .AA...
                """);
        assertEquals("[101,103) rw-", layout(r));
    }

    /**
     * A written, B read-only, C (shared) and D where the gap and the end
     * land. mremap 0x100 len 5 to 0x200 len 5 moves A to 0x200 and B to
     * 0x203, keeps the gap: C stays; D, past the destination, stays too.
     */
    @Test
    void aSameSizeMoveTakesEveryVmaInTheRangeAndKeepsTheGaps() {
        Run r = run("""
                rmaplab-workload 1
                P spawn
                P mmap 0x100 0x2 rw- anon
                P mmap 0x103 0x2 r-- anon
                P touch 0x100 0x2 write
                P mmap 0x202 0x1 rw- shared
                P mmap 0x205 0x1 rw- anon
                P fork C
                P mremap 0x100 0x5 0x200 0x5
                P walk 0x200 0x2
                C walk 0x100 0x2
                """);
        assertEquals(0, efaults(r));
        r.assertWindow("P", 0x100, """
                012345
                ......
                """);
        r.assertWindow("P", 0x200, """
                012345
                aaBCCD
                """);
        // the child's copies are where they were
        r.assertWindow("C", 0x100, """
                <>
                012345
                aa.BB.
                """);
        assertEquals("[200,202) rw- [202,203) rw- [203,205) r-- [205,206) rw-", layout(r));
        Mm mm = r.m.task("P").mm();
        assertNotNull(mm.find(0x202).file(), "the shared mapping in the gap is kept");
        assertTrue(Pte.isAnon(mm.pageTable().get(0x200)) && Pte.isAnon(mm.pageTable().get(0x201)));
        // and the folios are shared by both
        int f = Pte.id(mm.pageTable().get(0x200));
        assertEquals(f, Pte.id(r.m.task("C").mm().pageTable().get(0x100)));
        assertEquals(2, r.m.folios().mapcount(f));
        assertEquals(0, r.m.ledgers().walks.missed());
    }

    /** A rw-, B r-- (one VMA each, adjacent): a move of A's second page and B's first takes both pieces. */
    @Test
    void aMoveMaySplitBothEndsOfTheRange() {
        Run r = run("""
                rmaplab-workload 1
                P spawn
                P mmap 0x100 0x2 rw- anon
                P mmap 0x102 0x2 r-- anon
                P touch 0x100 0x2 write
                P mremap 0x101 0x2 0x200 0x2
                """);
        assertEquals(0, efaults(r));
        r.assertWindow("P", 0x100, """
                 <>
                012345
                a..B..
                """);
        r.assertWindow("P", 0x200, """
                <>
                012345
                cD....
                """);
        assertEquals("[100,101) rw- [103,104) r-- [200,201) rw- [201,202) r--", layout(r));
        assertTrue(Pte.isAnon(r.m.task("P").mm().pageTable().get(0x200)));
    }
}
