package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Simulated-kernel bugs found by the random sequences (KernelInvariantsTest,
 * RandomSequenceTest), each pinned as the shrunk workload that showed it.
 */
class KernelRegressionTest {
    /** A machine after a workload, and the workload's last op. */
    record Run(Machine m, Op last) {}

    /** Runs the workload with the kernel invariants checked after every op. */
    static Run run(String workload, MachineConfig cfg) {
        KernelInvariants.IndexRecorder[] d = new KernelInvariants.IndexRecorder[1];
        Machine m = new Machine(cfg, new Ledgers(), ctx -> d[0] = new KernelInvariants.IndexRecorder(ctx));
        List<Op> ops = Scenario.of("pinned", workload).ops();
        for (int i = 0; i < ops.size(); i++) {
            m.apply(ops.get(i));
            assertNull(KernelInvariants.check(m, d[0]), "after op " + (i + 1) + ": " + WorkloadWriter.format(ops.get(i)));
        }
        return new Run(m, ops.get(ops.size() - 1));
    }

    /**
     * mremap moves a written page of a private file mapping back between its
     * two unfaulted neighbours: all three merge into prev, which must take
     * the anonymous state of the moved VMA (vma_expand dups from
     * vmg->copied_from even when next is removed too). Before the fix the
     * merged VMA held an anonymous folio without anon state. Here: pages
     * 0x132-0x134 map file db from page 50; page 0x133 moves out to 0x18d,
     * is written there (CoW), and moves back between its two unfaulted
     * neighbours.
     */
    @Test
    void mremapMergeOfFaultedBetweenUnfaultedTakesItsAnonState() {
        Run r = run("""
                rmaplab-workload 1
                # kernel invariant [anon-unprepared], random sequence seed 1; zero page on, stack guard gap 1 pages
                C24 spawn
                C24 mmap 0x132 0x3 rw- file=db@50
                C24 mremap 0x133 0x1 0x18d 0x1
                C24 touch 0x18d 0x1 write
                C24 mremap 0x18d 0x1 0x133 0x1
                """, MachineConfig.defaults());
        AddressSpaceDrawing.assertDrawing("""
                   -
                0123456
                ..aaa..
                """, r.m(), "C24", r.last(), 0x130, 0x137);
        Mm mm = r.m().task("C24").mm();
        assertEquals(1, mm.vmaCount());
        Vma v = mm.find(0x133);
        assertEquals(0x132, v.start());
        assertEquals(0x135, v.end());
        assertEquals(50, v.pgoff());
        assertTrue(v.anonPrepared());
    }
}
