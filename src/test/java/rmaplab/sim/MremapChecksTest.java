package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.ledger.Ledgers;
import rmaplab.oracle.Sequences;
import rmaplab.workload.Op;

/**
 * mremap as 6.18 mm/mremap.c does it: check_prep_vma before anything is
 * unmapped.
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
}
