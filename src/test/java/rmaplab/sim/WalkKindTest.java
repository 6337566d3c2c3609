package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.run.CheckMode;
import rmaplab.run.Ran;
import rmaplab.testing.Scenario;
import rmaplab.workload.Op;
import rmaplab.workload.WalkKind;
import rmaplab.workload.WorkloadWriter;

/**
 * The walk op's kinds: a reclaim walk stops at the last mapping found, a
 * full walk examines everything the design would. P's folio is mapped in P
 * only, after C wrote its own copy; linux's tree for it still holds C's VMA
 * (the AVC stays), after P's.
 */
class WalkKindTest {
    private static List<Op> ops(String kind) {
        return Scenario.ops("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x1 rw- anon
                P touch 0x1000 0x1 write
                P fork C
                C touch 0x1000 0x1 write
                P walk 0x1000 0x1 KIND
                """.replace(" KIND", kind));
    }

    @Test
    void aReclaimWalkStopsAtTheLastMappingAndAFullWalkGoesOn() {
        Ran reclaim = Ran.run(ops(""), "linux", MachineConfig.defaults(), CheckMode.WALKS);
        Ran explicit = Ran.run(ops(" reclaim"), "linux", MachineConfig.defaults(), CheckMode.WALKS);
        Ran full = Ran.run(ops(" full"), "linux", MachineConfig.defaults(), CheckMode.WALKS);
        for (Ran r : List.of(reclaim, explicit, full)) {
            assertTrue(r.ok(), r.violations().toString());
            assertEquals(1, r.ledgers().walks().hits());
            assertEquals(1, r.ledgers().walks().entered()); // one anon_vma
        }
        assertEquals(1, reclaim.ledgers().walks().visits());
        assertEquals(1, explicit.ledgers().walks().visits());
        assertEquals(2, full.ledgers().walks().visits()); // C's VMA too
        // pv visits only the real mappings: the kind changes nothing there
        assertEquals(1, Ran.run(ops(" full"), "pv", MachineConfig.defaults(), CheckMode.WALKS).ledgers().walks().visits());
    }

    @Test
    void theWriterSpellsOnlyAFullWalk() {
        assertEquals("P walk 0x1000 0x1", WorkloadWriter.format(new Op.Walk("P", 0x1000, 1)));
        assertEquals("P walk 0x1000 0x1", WorkloadWriter.format(new Op.Walk("P", 0x1000, 1, WalkKind.RECLAIM)));
        assertEquals("P walk 0x1000 0x1 full", WorkloadWriter.format(new Op.Walk("P", 0x1000, 1, WalkKind.FULL)));
        assertEquals(WalkKind.FULL, ((Op.Walk) ops(" full").get(5)).kind());
        assertEquals(WalkKind.RECLAIM, ((Op.Walk) ops("").get(5)).kind());
    }
}
