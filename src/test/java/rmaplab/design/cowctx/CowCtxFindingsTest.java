package rmaplab.design.cowctx;

import static org.junit.jupiter.api.Assertions.*;
import static rmaplab.design.cowctx.Support.*;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import rmaplab.oracle.Violation;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.Ran;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.testing.Scenario;
import rmaplab.workload.Op;
import rmaplab.workload.Workloads;

/**
 * The oracle's counterexamples to the PoC as written ({@code cowctx}), each
 * pinned: it fails under cowctx, passes under cowctx-fixed, and fails again
 * when only the correction meant for it is taken out of cowctx-fixed (so
 * each correction is needed).
 */
class CowCtxFindingsTest {
    /**
     * notes/cow_context.md §3 item 3, shrunk by hand to its smallest form
     * (deleting any line makes it pass). After the munmap F's mapcount is 1,
     * so walk_context takes its exclusive early stop in the first context it
     * enters, P's, where nothing maps F: the walk ends with 0 visits and C's
     * mapping is missed (reclaim and migration would leave C's PTE behind).
     */
    static final List<Op> NOTES_3_3 = Scenario.ops("""
            rmaplab-workload 1
            P spawn
            P mmap 0x1000 0x1 rw- anon
            P touch 0x1000 0x1 write     # folio F, folio->cow_context = P's
            P fork C                     # C maps F too (read-only, CoW)
            P munmap 0x1000 0x1          # only C maps F now; C never writes, so F never moves
            """);

    @Test
    void exclusiveEarlyStopMissesTheOnlyMappingInADescendant() throws Exception {
        RunResult r = Runner.run(OpSource.of("notes-3.3", NOTES_3_3), "cowctx", MachineConfig.defaults(), CheckMode.EVERY_OP);
        assertFalse(r.ok());
        assertNull(r.mapcountError());
        assertEquals(2, r.violationCount()); // the sweep after the munmap, and the one at the end
        Violation v = r.violations().get(0);
        assertEquals(5, v.opIndex());
        assertEquals(1, v.result().mapcount());
        assertEquals(0, v.result().visits());
        assertEquals(1, v.result().missed());

        assertTrue(Runner.run(OpSource.of("notes-3.3", NOTES_3_3), "cowctx-fixed", MachineConfig.defaults(), CheckMode.EVERY_OP).ok());
        // smallest: no single line can go
        assertEquals(NOTES_3_3, shrink(NOTES_3_3, ops -> !run(ops, "cowctx").ok()));
    }

    /** A counterexample: ops ending in a walk of the folio whose mapping the PoC misses. */
    record Finding(String name, Fixes without, List<Op> ops, int missed) {
        Finding(String name, Fixes without, String workload, int missed) {
            this(name, without, Scenario.of(name, workload).ops(), missed);
        }

        @Override public String toString() { return name; }
    }

    private static Fixes allBut(int i) { return Fixes.of("11111".substring(0, i) + "0" + "11111".substring(i + 1)); }

    static Stream<Finding> findings() {
        return Stream.of(
                // 1. the exclusive early stop, folio context an ancestor that no longer maps it (notes §3.3)
                new Finding("early stop: ancestor unmapped", allBut(0), """
                        rmaplab-workload 1
                        P spawn
                        P mmap 0x1000 0x1 rw- anon
                        P touch 0x1000 0x1 write
                        P fork C
                        P munmap 0x1000 0x1
                        C walk 0x1000 0x1
                        """, 1),
                // 1b. the same, the ancestor having CoW-copied its own page instead of unmapping it
                new Finding("early stop: ancestor CoW-copied", allBut(0), """
                        rmaplab-workload 1
                        P spawn
                        P mmap 0x1000 0x1 rw- anon
                        P touch 0x1000 0x1 write
                        P fork C
                        P touch 0x1000 0x1 write
                        C walk 0x1000 0x1
                        """, 1),
                // 2. the early stop comes before the remap pass: an exclusive folio mapped at a
                //    non-zero offset in its own context is never found (any MAP_PRIVATE file CoW page)
                new Finding("early stop: private file page", allBut(0), """
                        rmaplab-workload 1
                        P spawn
                        P mmap 0x1000 0x1 rw- file=lib@0
                        P touch 0x1000 0x1 write
                        P walk 0x1000 0x1
                        """, 1),
                // 2b. ... or an anonymous page moved by mremap
                new Finding("early stop: moved anonymous page", allBut(0), """
                        rmaplab-workload 1
                        P spawn
                        P mmap 0x1000 0x1 rw- anon
                        P touch 0x1000 0x1 write
                        P mremap 0x1000 0x1 0x2000 0x1
                        P walk 0x2000 0x1
                        """, 1),
                // 3. find_and_unmap_existing empties the whole stored entry [0,1] when [0,0] is unmapped
                new Finding("unmap clears whole entries", allBut(1), """
                        rmaplab-workload 1
                        P spawn
                        P mmap 0x1000 0x2 rw- file=lib@0
                        P touch 0x1001 0x1 write
                        P fork C
                        P munmap 0x1000 0x1
                        C walk 0x1001 0x1
                        """, 1),
                // 4. find_and_remap_existing rewrites the offset of the whole entry [0,1] when [0,0] moves
                new Finding("remap rewrites whole entries", allBut(2), """
                        rmaplab-workload 1
                        P spawn
                        P mmap 0x1000 0x2 rw- file=lib@0
                        P touch 0x1001 0x1 write
                        P fork C
                        P mremap 0x1000 0x1 0x3000 0x1
                        C walk 0x1001 0x1
                        """, 1),
                // 4b. ... over the new VMA's range, which reaches past what moved when the move grows it
                new Finding("remap over a grown move", allBut(2), """
                        rmaplab-workload 1
                        P spawn
                        P mmap 0x1000 0x2 rw- file=lib@0
                        P touch 0x1001 0x1 write
                        P fork C
                        P mremap 0x1000 0x1 0x3000 0x2
                        C walk 0x1001 0x1
                        """, 1),
                // 5. __dynarray_append_value loses the offset at the insertion point
                new Finding("offset insertion off by one", allBut(3), """
                        rmaplab-workload 1
                        P spawn
                        P mmap 0x1100 0x1 rw- file=lib@0
                        P touch 0x1100 0x1 write
                        P fork C
                        P mmap 0x1000 0x1 rw- file=lib@0
                        P touch 0x1000 0x1 write
                        C walk 0x1100 0x1
                        """, 1),
                // 6. the first fault of an unfaulted anonymous VMA with a non-zero offset adds no entry
                new Finding("first fault of a moved wipeonfork copy", allBut(4), """
                        rmaplab-workload 1
                        P spawn
                        P mmap 0x1000 0x1 rw- anon
                        P touch 0x1000 0x1 write
                        P mremap 0x1000 0x1 0x2000 0x1
                        P madvise 0x2000 0x1 wipeonfork
                        P fork C
                        C madvise 0x2000 0x1 keeponfork
                        C touch 0x2000 0x1 write
                        C fork G
                        C walk 0x2000 0x1
                        """, 1));
    }

    @ParameterizedTest
    @MethodSource("findings")
    void cowctxMissesTheWalkedMapping(Finding f) {
        Ran r = run(f.ops(), "cowctx", MachineConfig.defaults(), CheckMode.WALKS);
        assertEquals(1, r.ledgers().walks().walks());
        assertEquals(f.missed(), r.ledgers().walks().missed(), Workloads.toText(f.ops(), null));
        assertNull(r.mapcountError());
    }

    @ParameterizedTest
    @MethodSource("findings")
    void cowctxFixedPasses(Finding f) {
        Ran r = run(f.ops(), "cowctx-fixed");
        assertTrue(r.ok(), r.violations().toString());
        assertTrue(run(f.ops(), "pv").ok()); // and the simulated kernel is not at fault
    }

    @ParameterizedTest
    @MethodSource("findings")
    void theCorrectionForItIsNeeded(Finding f) {
        assertFalse(runWith(f.ops(), f.without()).ok(), "passes without " + f.without());
    }
}
