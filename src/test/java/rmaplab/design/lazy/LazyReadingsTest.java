package rmaplab.design.lazy;

import static org.junit.jupiter.api.Assertions.*;
import static rmaplab.design.lazy.LazySupport.*;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import rmaplab.ledger.LockLedger;
import rmaplab.rmap.Designs;
import rmaplab.run.CheckMode;
import rmaplab.run.Ran;
import rmaplab.sim.Vma;
import rmaplab.sim.WorkloadError;
import rmaplab.testing.Scenario;
import rmaplab.workload.Op;

/**
 * Readings (b) and (c) of ANON_VMA_LAZY against reading (a): what each walk
 * finds after a split, a removal of the root and an mremap move, and what
 * each costs (references that keep a removed root, re-pointed folios).
 */
class LazyReadingsTest {
    /** P: one VMA of two pages, both written, split by mprotect: [0x1000] is the new VMA, the root keeps [0x1001]. */
    private static Scenario split() {
        return Scenario.of("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x2 rw- anon
                P touch 0x1000 0x2 write
                P mprotect 0x1001 0x1 r--
                """);
    }

    /** RandomSequenceTest seed 1 on lazy-mm, shrunk: a VMA grown in place by mremap, written, then moved. */
    static final String GROWN_THEN_MOVED = """
            rmaplab-workload 1
            P0 spawn
            P0 mmap 0x133 0x3 rw- anon
            P0 mremap 0x135 0x1 0x135 0x4
            P0 touch 0x136 0x1 write
            P0 mremap 0x135 0x4 0x139 0x5
            P0 walk 0x13a 0x1
            """;

    record Counterexample(String name, List<Op> ops) {
        @Override public String toString() { return name; }
    }

    static Stream<Counterexample> movesMissedByReadingB() {
        return Stream.of(new Counterexample("move", Scenario.ops(LazyFindingsTest.MOVE)),
                new Counterexample("move back", Scenario.ops(LazyFindingsTest.MOVE_BACK)),
                new Counterexample("grown then moved (seed 1)", Scenario.ops(GROWN_THEN_MOVED)));
    }

    @Test
    void theReadingsAreRegisteredWithTheirVerdicts() {
        assertFalse(Designs.get("lazy-mm").sound());
        assertTrue(Designs.get("lazy-repoint").sound());
        for (String d : List.of("lazy", "lazy-mm", "lazy-repoint"))
            assertTrue(Designs.get(d).description().contains("reading ("), d);
    }

    /**
     * Reading (b) finds the folio reading (a) misses after a split: the root's
     * base plus folio->index is the page, and the mm's VMA tree says which
     * VMA covers it. One mm entered, one step, per walk.
     */
    @Test
    void theWalkThroughTheMmSurvivesASplit() {
        Scenario s = split();
        s.then("P walk 0x1000 0x2");
        Ran a = run(s.ops(), "lazy", CheckMode.WALKS);
        assertEquals(1, a.ledgers().walks().missed());
        assertEquals(0, a.ledgers().walks().entered());
        Ran b = run(s.ops(), "lazy-mm");
        assertTrue(b.ok(), b.violations().toString());
        assertEquals(2, b.ledgers().walks().hits());
        assertEquals(2, b.ledgers().walks().entered());
        assertEquals(2, b.ledgers().walks().steps());
        assertEquals(1, b.ledgers().walks().maxEntered());
    }

    /**
     * The root is unmapped while the other part still holds a folio naming
     * it: reading (b) keeps the root (vma_put) and still finds the folio; the
     * root goes with the last folio that names it.
     */
    @Test
    void aRemovedRootIsKeptWhileAFolioNamesIt() {
        Scenario s = split();
        s.then("""
                P munmap 0x1001 0x1
                P walk 0x1000 0x1
                """);
        Ran b = run(s.ops(), "lazy-mm");
        assertTrue(b.ok(), b.violations().toString());
        assertEquals(1, b.ledgers().walks().hits());
        assertEquals(1, design(b).heldRoots());
        assertEquals(1, live(b, HeldRoots.TYPE));
        assertEquals(b.machine().vmaBytes(), b.ledgers().objects().types().get(HeldRoots.TYPE).liveBytes());
        Ran a = run(s.ops(), "lazy", CheckMode.WALKS); // reading (a): the root is freed, the folio missed
        assertEquals(1, a.ledgers().walks().missed());
        assertEquals(0, design(a).heldRoots());

        s.then("P munmap 0x1000 0x1"); // the last folio naming the root goes, and the root with it
        b = run(s.ops(), "lazy-mm");
        assertEquals(0, design(b).heldRoots());
        assertEquals(0, live(b, HeldRoots.TYPE));
        assertEquals(1, allocated(b, HeldRoots.TYPE));
    }

    /** A part split from the root holds the root by its tag: a folio faulted there later is found. */
    @Test
    void aTagKeepsTheRootForFoliosFaultedLater() {
        Ran b = run(Scenario.ops("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x2 rw- anon
                P touch 0x1001 0x1 write
                P mprotect 0x1000 0x1 r--   # the new VMA is [0x1000], unfaulted in this part; the root keeps [0x1001]
                P mprotect 0x1000 0x1 rw-   # merges back: Case 3, equal tags
                P mprotect 0x1001 0x1 r--   # split again, the root keeps [0x1001] ...
                P munmap 0x1001 0x1         # ... and goes; [0x1000] still carries its tag
                P touch 0x1000 0x1 write
                P walk 0x1000 0x1
                """), "lazy-mm");
        assertTrue(b.ok(), b.violations().toString());
        assertEquals(1, b.ledgers().walks().hits());
        assertEquals(1, design(b).heldRoots());
    }

    /** Reading (b) misses what an mremap move took away from the root's address; (c), lazy-fixed and linux do not. */
    @ParameterizedTest
    @MethodSource("movesMissedByReadingB")
    void readingBMissesMovedMappings(Counterexample c) {
        Ran b = run(c.ops(), "lazy-mm", CheckMode.WALKS);
        assertEquals(1, b.ledgers().walks().missed(), c.name());
        assertEquals(0, b.ledgers().walks().hits(), c.name());
        for (String d : List.of("lazy-repoint", "lazy-fixed", "linux")) {
            Ran r = run(c.ops(), d);
            assertTrue(r.ok(), d + ": " + r.violations());
            assertEquals(1, r.ledgers().walks().hits(), d);
        }
    }

    /** No op of a reading (b) counterexample can go with the miss kept (the walk aside, as LazyFindingsTest). */
    @ParameterizedTest
    @MethodSource("movesMissedByReadingB")
    void noOpCanGo(Counterexample c) {
        List<Op> ops = c.ops().subList(0, c.ops().size() - 1);
        assertFalse(runWith(ops, Reading.MM_LOOKUP, Fixes.NONE).ok());
        for (int i = 0; i < ops.size(); i++) {
            List<Op> fewer = new ArrayList<>(ops);
            Op gone = fewer.remove(i);
            try {
                assertTrue(runWith(fewer, Reading.MM_LOOKUP, Fixes.NONE).ok(), "still fails without " + gone);
            } catch (WorkloadError e) {
                // not a workload without it
            }
        }
    }

    /** examples/lazy-move.rmw is the move counterexample: lazy and lazy-mm miss it, lazy-repoint does not. */
    @Test
    void theExampleFileIsTheMoveCounterexample() throws Exception {
        java.nio.file.Path p = java.nio.file.Path.of("examples/lazy-move.rmw");
        List<Op> ops = rmaplab.workload.Workloads.parse(p.toString(), java.nio.file.Files.readString(p));
        assertEquals(Scenario.ops(LazyFindingsTest.MOVE), ops);
        assertEquals(1, run(ops, "lazy", CheckMode.WALKS).ledgers().walks().missed());
        assertEquals(1, run(ops, "lazy-mm", CheckMode.WALKS).ledgers().walks().missed());
        assertTrue(run(ops, "lazy-repoint", CheckMode.WALKS).ok());
    }

    /**
     * Reading (c): the split's new part gets a tag of its own and its folio is
     * re-pointed, under its folio lock, after a page-table walk of its range.
     */
    @Test
    void aSplitRepointsTheNewPartsFolios() {
        Scenario s = split();
        s.then("P walk 0x1000 0x2");
        Ran c = run(s.ops(), "lazy-repoint");
        assertTrue(c.ok(), c.violations().toString());
        LazyDesign d = design(c);
        Vma lo = vmaAt(c, "P", 0x1000), hi = vmaAt(c, "P", 0x1001);
        assertSame(lo, d.lazyRoot(lo));
        assertSame(hi, d.lazyRoot(hi));
        assertSame(lo, d.lazyFolioVma(1));
        assertSame(hi, d.lazyFolioVma(2));
        assertEquals(1, d.repointed());
        assertEquals(1, c.ledgers().walks().repointedFolios());
        assertEquals(1, c.ledgers().walks().repointPtes());
        assertEquals(1, folioLocks(c));
        assertEquals(0, run(s.ops(), "lazy").ledgers().walks().repointedFolios());
    }

    /** Reading (c), a move: the copy has a tag of its own; each moved folio is re-pointed as its PTE moves. */
    @Test
    void aMoveRepointsEachMovedFolio() {
        Ran c = run(Scenario.ops(LazyFindingsTest.MOVE), "lazy-repoint");
        assertTrue(c.ok());
        Vma moved = vmaAt(c, "P", 0x2000);
        assertSame(moved, design(c).lazyRoot(moved));
        assertSame(moved, design(c).lazyFolioVma(1));
        assertEquals(1, c.ledgers().walks().repointedFolios());
        assertEquals(1, folioLocks(c));
    }

    /**
     * Reading (c)'s other cost: the parts of a split have tags of their own,
     * which the code's merge rule compares by value, so mprotect back leaves
     * two VMAs where readings (a) and (b) merge them again.
     */
    @Test
    void theRepointedPartsOfASplitNoLongerMerge() {
        Scenario s = split();
        s.then("P mprotect 0x1001 0x1 rw-");
        assertEquals(2, run(s.ops(), "lazy-repoint").machine().liveVmas());
        assertEquals(1, run(s.ops(), "lazy-mm").machine().liveVmas());
        assertEquals(1, run(s.ops(), "linux").machine().liveVmas());
    }

    private static long folioLocks(Ran r) {
        return r.ledgers().locks().instances().stream().filter(i -> i.lockClass().equals(LazyDesign.FOLIO_LOCK))
                .mapToLong(i -> i.byMode(LockLedger.Mode.WRITE)).sum();
    }
}
