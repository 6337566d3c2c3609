package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.ledger.Ledgers;
import rmaplab.oracle.Sequences;
import rmaplab.workload.Op;

/**
 * mremap as 6.18 mm/mremap.c does it: check_prep_vma before anything is
 * unmapped, and remap_move of several VMAs in one same-size move.
 */
class MremapChecksTest {
    private static Machine run(String workload) {
        KernelInvariants.IndexRecorder[] d = new KernelInvariants.IndexRecorder[1];
        Machine m = new Machine(MachineConfig.defaults(), new Ledgers(), ctx -> d[0] = new KernelInvariants.IndexRecorder(ctx));
        List<Op> ops = Sequences.parse("test", "rmaplab-workload 1\n" + workload);
        for (Op op : ops) {
            m.apply(op);
            assertNull(KernelInvariants.check(m, d[0]), "after " + Sequences.line(op));
        }
        return m;
    }

    private static long efaults(Machine m) { return m.errors().getOrDefault("mremap EFAULT", 0L); }

    /** The VMAs of P's mm as "[start,end) rwx" strings, ascending. */
    private static String layout(Machine m) {
        StringBuilder b = new StringBuilder();
        for (Vma v : m.task("P").mm().vmas())
            b.append('[').append(Long.toHexString(v.start())).append(',').append(Long.toHexString(v.end())).append(") ")
                    .append(VmFlags.describe(v.flags()).substring(0, 3)).append(' ');
        return b.toString().trim();
    }

    //   100 101 ... 200 201
    //    A   A       B   B        B written
    //   mremap 150 (nothing there) -> 200: EFAULT, B untouched
    @Test
    void noVmaAtTheSourceFailsBeforeTheDestinationIsUnmapped() {
        Machine m = run("""
                P spawn
                P mmap 0x100 2 rw- anon
                P mmap 0x200 2 rw- anon
                P touch 0x200 2 write
                P mremap 0x150 2 0x200 2
                P mremap 0x150 2 0x200 3
                """);
        assertEquals(2, efaults(m));
        assertEquals("[100,102) rw- [200,202) rw-", layout(m));
        assertEquals(2, m.folios().liveCount());
    }

    //   100 101 102 103     200 201 202 203
    //    A   A   .   .       B   B   B            B written
    //   mremap 100 len 4 -> 200 len 5 (a growth that crosses A's end): EFAULT, B untouched
    //   mremap 100 len 3 -> 200 len 1 (a shrink that crosses A's end): EFAULT too, A not shrunk
    @Test
    void aRangeCrossingTheVmaEndFailsBeforeAnythingIsUnmapped() {
        Machine m = run("""
                P spawn
                P mmap 0x100 2 rw- anon
                P mmap 0x200 3 rw- anon
                P touch 0x200 3 write
                P mremap 0x100 4 0x200 5
                P mremap 0x100 3 0x200 1
                """);
        assertEquals(2, efaults(m));
        assertEquals("[100,102) rw- [200,203) rw-", layout(m));
        assertEquals(3, m.folios().liveCount());
    }

    //   100 101 102 103
    //    .   A   A   .     mremap 100 len 3 -> 100 len 1: no VMA at 100, EFAULT, A kept
    @Test
    void aShrinkNeedsAVmaAtTheAddress() {
        Machine m = run("""
                P spawn
                P mmap 0x101 2 rw- anon
                P mremap 0x100 3 0x100 1
                P mremap 0x100 3 0x100 3
                """);
        assertEquals(2, efaults(m));
        assertEquals("[101,103) rw-", layout(m));
    }

    //   100 101 102 103 104 105        200 201 202 203 204 205
    //    A   A   .   B   B   .          .   .   C   .   .   D
    //   A written, B read-only; C and D sit where the gap and the end land.
    //   mremap 100 len 5 -> 200 len 5 moves A to 200 and B to 203, keeps the gap: C stays;
    //   D, past the destination, stays too.
    @Test
    void aSameSizeMoveTakesEveryVmaInTheRangeAndKeepsTheGaps() {
        Machine m = run("""
                P spawn
                P mmap 0x100 2 rw- anon
                P mmap 0x103 2 r-- anon
                P touch 0x100 2 write
                P mmap 0x202 1 rw- shared
                P mmap 0x205 1 rw- anon
                P fork C
                P mremap 0x100 5 0x200 5
                P walk 0x200 2
                C walk 0x100 2
                """);
        assertEquals(0, efaults(m));
        assertEquals("[200,202) rw- [202,203) rw- [203,205) r-- [205,206) rw-", layout(m));
        Mm mm = m.task("P").mm();
        assertNotNull(mm.find(0x202).file(), "the shared mapping in the gap is kept");
        assertTrue(Pte.isAnon(mm.pageTable().get(0x200)) && Pte.isAnon(mm.pageTable().get(0x201)));
        // the child's copies are where they were, and the folios are shared by both
        int f = Pte.id(mm.pageTable().get(0x200));
        assertEquals(f, Pte.id(m.task("C").mm().pageTable().get(0x100)));
        assertEquals(2, m.folios().mapcount(f));
        assertEquals(0, m.ledgers().walks.missed());
    }

    //   100 101 102 103 104
    //    A   A   B   B   .     A rw-, B r-- (one VMA each, adjacent)
    //   a move of A's second page and B's first, a range spanning the two: both pieces move
    @Test
    void aMoveMaySplitBothEndsOfTheRange() {
        Machine m = run("""
                P spawn
                P mmap 0x100 2 rw- anon
                P mmap 0x102 2 r-- anon
                P touch 0x100 2 write
                P mremap 0x101 2 0x200 2
                """);
        assertEquals(0, efaults(m));
        assertEquals("[100,101) rw- [103,104) r-- [200,201) rw- [201,202) r--", layout(m));
        assertTrue(Pte.isAnon(m.task("P").mm().pageTable().get(0x200)));
    }
}
