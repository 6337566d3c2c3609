package rmaplab.design.lazy;

import static org.junit.jupiter.api.Assertions.*;
import static rmaplab.design.lazy.LazySupport.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.design.lazy.LazyDesign.State;
import rmaplab.design.linux.LinuxDesign;
import rmaplab.ledger.LockLedger;
import rmaplab.run.CheckMode;
import rmaplab.run.Ran;
import rmaplab.sim.Vma;
import rmaplab.testing.AddressSpaceDrawing;
import rmaplab.testing.Scenario;
import rmaplab.workload.Op;

/**
 * The VMA states of ANON_VMA_LAZY (none, lazy, tree-parent, regular), their
 * transitions, the objects each costs and the locks each takes, on small
 * scenarios with hand-counted figures.
 */
class LazyStatesTest {
    /** Acquisitions of one lock class, in one mode. */
    private static long acq(Ran r, String lockClass, LockLedger.Mode mode) {
        return r.ledgers().locks().instances().stream().filter(i -> i.lockClass().equals(lockClass))
                .mapToLong(i -> i.byMode(mode)).sum();
    }

    private static Ran ok(List<Op> ops, String design) {
        Ran r = run(ops, design, CheckMode.WALKS);
        assertTrue(r.ok(), design + ": " + r.violations());
        return r;
    }

    /** P: one VMA of two pages, both written; a test adds its own lines. */
    private static Scenario faulted() {
        return Scenario.of("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x2 rw- anon
                P touch 0x1000 0x2 write
                """);
    }

    @Test
    void firstFaultTagsTheVmaAndAllocatesNothing() {
        Scenario o = faulted();
        o.then("P walk 0x1000 0x2");
        Ran r = ok(o.ops(), "lazy");
        LazyDesign d = design(r);
        Vma v = vmaAt(r, "P", 0x1000);
        assertEquals(State.LAZY, d.state(v));
        assertSame(v, d.lazyRoot(v)); // its own root
        assertSame(v, d.lazyFolioVma(1)); // folio->mapping names the VMA
        assertSame(v, d.lazyFolioVma(2));
        assertEquals(0, allocated(r, "anon_vma"));
        assertEquals(0, allocated(r, "anon_vma_chain"));
        // the walks: one visit each, RCU and a VMA reference, no anon_vma lock at all
        assertEquals(2, r.ledgers().walks().visits());
        assertEquals(2, r.ledgers().walks().hits());
        assertEquals(2, acq(r, LazyDesign.RCU, LockLedger.Mode.RCU));
        assertEquals(2, acq(r, LazyDesign.VMA_REF, LockLedger.Mode.READ));
        assertEquals(0, acq(r, "anon_vma.rwsem", LockLedger.Mode.READ) + acq(r, "anon_vma.rwsem", LockLedger.Mode.WRITE));

        Ran l = ok(o.ops(), "linux"); // linux: an anon_vma, an AVC, a write lock at the first fault
        assertEquals(1, live(l, "anon_vma"));
        assertEquals(1, live(l, "anon_vma_chain"));
        assertEquals(1, acq(l, "anon_vma.rwsem", LockLedger.Mode.WRITE));
    }

    /**
     * The series' one new field (vm_rcuref, 4 bytes) fills the hole after
     * vm_lock_seq: every reading is charged linux's vm_area_struct.
     */
    @Test
    void theVmaKeepsItsSize() {
        Ran l = ok(faulted().ops(), "linux");
        long base = l.machine().config().sizes().vmAreaStruct();
        assertEquals(base, l.ledgers().objects().types().get("vm_area_struct").liveBytes());
        for (String d : List.of("lazy", "lazy-mm", "lazy-repoint", "lazy-fixed")) {
            Ran r = ok(faulted().ops(), d);
            assertEquals(base, r.machine().vmaBytes(), d);
            assertEquals(base, r.ledgers().objects().types().get("vm_area_struct").liveBytes(), d);
        }
    }

    /**
     * fork: P's lazy VMA is upgraded (an anon_vma and an AVC, both folios
     * re-pointed under their folio locks); C's copy is tree-parent: linked
     * to P's anon_vma by one AVC, no anon_vma of its own.
     */
    @Test
    void forkUpgradesTheParentAndRepointsItsFolios() {
        Scenario o = faulted();
        o.then("""
                P fork C
                P walk 0x1000 0x2
                """);
        Ran r = ok(o.ops(), "lazy");
        LazyDesign d = design(r);
        Vma p = vmaAt(r, "P", 0x1000), c = vmaAt(r, "C", 0x1000);
        assertEquals(State.REGULAR, d.state(p));
        assertEquals(State.TREE_PARENT, d.state(c));
        assertNull(d.lazyFolioVma(1));
        assertNull(d.lazyFolioVma(2));
        assertEquals(1, d.upgrades());
        assertEquals(2, d.repointed());
        assertEquals(2, acq(r, LazyDesign.FOLIO_LOCK, LockLedger.Mode.WRITE));
        assertEquals(1, live(r, "anon_vma"));
        assertEquals(2, live(r, "anon_vma_chain"));
        assertEquals(1, d.chainLength(p));
        assertEquals(1, d.chainLength(c));
        assertArrayEquals(d.anonVmaIds(p), d.anonVmaIds(c)); // the parent's anon_vma
        assertEquals(4, r.ledgers().walks().hits()); // each folio in P and in C
        assertEquals(4, r.ledgers().walks().visits());

        Ran l = ok(o.ops(), "linux"); // linux: 2 anon_vmas, 3 AVCs
        assertEquals(2, live(l, "anon_vma"));
        assertEquals(3, live(l, "anon_vma_chain"));
    }

    /** A CoW in a tree-parent child allocates no anon_vma: the copy goes to the parent's anon_vma. */
    @Test
    void cowInATreeParentChildUsesTheParentsAnonVma() {
        Scenario o = faulted();
        o.then("""
                P fork C
                C touch 0x1000 0x1 write   # C's copy: folio 3
                C walk 0x1000 0x1
                """);
        Ran r = ok(o.ops(), "lazy");
        assertEquals(State.TREE_PARENT, design(r).state(vmaAt(r, "C", 0x1000)));
        assertEquals(1, allocated(r, "anon_vma"));
        assertEquals(2, allocated(r, "anon_vma_chain"));
        assertEquals(1, r.ledgers().walks().hits());
        assertEquals(2, r.ledgers().walks().visits()); // the tree holds P's VMA too: one visit more than linux
        Ran l = ok(o.ops(), "linux");
        assertEquals(1, l.ledgers().walks().visits());
    }

    /**
     * A tree-parent child that forks is upgraded: its own anon_vma, child of
     * the parent's; the grandchild is tree-parent on the child's.
     */
    @Test
    void aTreeParentChildThatForksGetsItsOwnAnonVma() {
        Scenario o = faulted();
        o.then("""
                P fork C
                C fork G
                G walk 0x1000 0x2
                """);
        Ran r = ok(o.ops(), "lazy");
        LazyDesign d = design(r);
        Vma p = vmaAt(r, "P", 0x1000), c = vmaAt(r, "C", 0x1000), g = vmaAt(r, "G", 0x1000);
        assertEquals(State.REGULAR, d.state(p));
        assertEquals(State.REGULAR, d.state(c));
        assertEquals(State.TREE_PARENT, d.state(g));
        assertEquals(2, d.upgrades());
        assertEquals(2, d.repointed()); // only the lazy upgrade re-points; C's folios stay in P's anon_vma
        long[] pa = d.anonVmaIds(p), ca = d.anonVmaIds(c), ga = d.anonVmaIds(g);
        assertNotEquals(pa[0], ca[0]);
        assertEquals(pa[0], ca[1]); // C's anon_vma is in P's tree
        assertArrayEquals(ca, ga);
        assertEquals(2, live(r, "anon_vma"));
        assertEquals(1 + 2 + 2, live(r, "anon_vma_chain"));
        assertEquals(6, r.ledgers().walks().hits()); // two folios, each in P, C and G

        Ran l = ok(o.ops(), "linux");
        assertEquals(3, live(l, "anon_vma"));
        assertEquals(1 + 2 + 3, live(l, "anon_vma_chain"));
    }

    /** A VMA mapped after the fork in the child starts lazy; an unfaulted one stays none; wipeonfork leaves the parent lazy. */
    @Test
    void newUnfaultedAndWipedVmas() {
        Scenario o = faulted();
        o.then("""
                P mmap 0x2000 0x1 rw- anon   # never touched: none
                P mmap 0x3000 0x1 rw- anon
                P touch 0x3000 0x1 write
                P madvise 0x3000 0x1 wipeonfork
                P fork C
                C mmap 0x4000 0x1 rw- anon
                C touch 0x4000 0x1 write
                """);
        Ran r = ok(o.ops(), "lazy");
        LazyDesign d = design(r);
        assertEquals(State.NONE, d.state(vmaAt(r, "P", 0x2000)));
        assertEquals(State.NONE, d.state(vmaAt(r, "C", 0x2000)));
        assertEquals(State.LAZY, d.state(vmaAt(r, "P", 0x3000))); // not copied by anon_vma_fork: not upgraded
        assertEquals(State.NONE, d.state(vmaAt(r, "C", 0x3000)));
        Vma cNew = vmaAt(r, "C", 0x4000);
        assertEquals(State.LAZY, d.state(cNew));
        assertSame(cNew, d.lazyRoot(cNew));
        assertEquals(1, live(r, "anon_vma")); // P's 0x1000 only
    }

    /**
     * A split: in reading (a), both halves keep the tag naming the root; in
     * lazy-fixed the VMA is upgraded first and both halves share its
     * anon_vma, as in linux.
     */
    @Test
    void splitKeepsTheTagInReadingAAndUpgradesInLazyFixed() {
        Scenario o = faulted();
        o.then("P mprotect 0x1001 0x1 r--"); // 0x1000 is the new VMA, the root keeps 0x1001
        Ran r = run(o.ops(), "lazy", CheckMode.WALKS);
        LazyDesign d = design(r);
        Vma lo = vmaAt(r, "P", 0x1000), hi = vmaAt(r, "P", 0x1001);
        assertEquals(State.LAZY, d.state(lo));
        assertSame(hi, d.lazyRoot(lo));
        assertSame(hi, d.lazyRoot(hi));
        assertSame(hi, d.lazyFolioVma(1)); // mapped in lo, names hi: the walk misses it (LazyFindingsTest)

        Ran f = ok(o.ops(), "lazy-fixed");
        LazyDesign fd = design(f);
        Vma flo = vmaAt(f, "P", 0x1000), fhi = vmaAt(f, "P", 0x1001);
        assertEquals(State.REGULAR, fd.state(flo));
        assertEquals(State.REGULAR, fd.state(fhi));
        assertArrayEquals(d.anonVmaIds(flo), d.anonVmaIds(fhi));
        assertEquals(2, fd.repointed());
        assertEquals(1, live(f, "anon_vma"));
        assertEquals(2, live(f, "anon_vma_chain"));
    }

    /**
     * Two lazy VMAs with different roots never merge, and a lazy VMA counts as
     * a fork child (vma_is_fork_child unchanged: a tag and an empty chain), so
     * it takes no unfaulted neighbour either: three VMAs where linux has two.
     */
    @Test
    void mergesCompareTagsAndALazyVmaIsAForkChild() {
        List<Op> o = Scenario.ops("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x1 rw- anon
                P touch 0x1000 0x1 write
                P mmap 0x1002 0x1 rw- anon
                P touch 0x1002 0x1 write
                P mmap 0x1001 0x1 rw- anon   # joins neither: Case 2 with a fork-child target
                P walk 0x1000 0x3
                """);
        Ran r = ok(o, "lazy");
        assertEquals(3, r.machine().liveVmas());
        Vma a = vmaAt(r, "P", 0x1000);
        assertSame(a, design(r).lazyRoot(a));
        assertEquals(State.NONE, design(r).state(vmaAt(r, "P", 0x1001)));
        assertEquals(2, ok(o, "linux").machine().liveVmas()); // linux: the new range joins 0x1000's anon_vma
    }

    /** A split's two lazy parts carry the same tag, so mprotect back merges them again (Case 3). */
    @Test
    void theTwoPartsOfASplitMergeAgain() {
        Scenario o = faulted();
        o.then("""
                P mprotect 0x1001 0x1 r--
                P mprotect 0x1001 0x1 rw-
                """);
        Ran r = run(o.ops(), "lazy", CheckMode.WALKS);
        assertEquals(1, r.machine().liveVmas());
        Vma v = vmaAt(r, "P", 0x1000);
        assertSame(v, vmaAt(r, "P", 0x1001));
        assertEquals(State.LAZY, design(r).state(v));
    }

    /**
     * The upgrade reuses no tree-parent neighbour's anon_vma (its parent's).
     * In C, Y (page 1) is tree-parent (inherited from P), X (page 0) lazy,
     * rwx so that it does not merge with Y but is anon_vma-compatible; C
     * forks: X, upgraded first, gets an anon_vma of its own.
     */
    @Test
    void theUpgradeReusesNoTreeParentNeighbour() {
        List<Op> o = Scenario.ops("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1001 0x1 rw- anon
                P touch 0x1001 0x1 write
                P fork C
                C mmap 0x1000 0x1 rwx anon
                C touch 0x1000 0x1 write
                C fork G
                C walk 0x1000 0x2
                """);
        Ran r = ok(o, "lazy");
        AddressSpaceDrawing.assertDrawing("""
                <>
                01
                ab
                """, r.machine(), "C", o.get(o.size() - 1), 0x1000, 0x1002);
        LazyDesign d = design(r);
        Vma x = vmaAt(r, "C", 0x1000), y = vmaAt(r, "C", 0x1001), py = vmaAt(r, "P", 0x1001);
        assertNotSame(x, y);
        assertEquals(State.REGULAR, d.state(x));
        assertEquals(State.REGULAR, d.state(y));
        long pav = d.anonVmaIds(py)[0];
        assertNotEquals(pav, d.anonVmaIds(x)[0]);
        assertEquals(d.anonVmaIds(x)[0], d.anonVmaIds(x)[1]); // a root of its own
        assertEquals(pav, d.anonVmaIds(y)[1]); // Y's own anon_vma is in P's tree
        assertEquals(3, live(r, "anon_vma"));
    }

    /**
     * A fork repairs a split's miss: the upgrade of each part re-points the
     * folios that carry its tag; a VM_DONTCOPY part is not upgraded and stays missed.
     */
    @Test
    void aForkRepairsTheMissesOfCopiedVmasOnly() {
        List<Op> o = Scenario.ops("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x2 rw- anon
                P touch 0x1000 0x1 write
                P mprotect 0x1001 0x1 r--
                P walk 0x1000 0x1   # missed
                P fork C
                P walk 0x1000 0x1   # found, in P and C
                """);
        Ran r = run(o, "lazy", CheckMode.WALKS);
        assertEquals(1, r.ledgers().walks().missed());
        assertEquals(1, r.violationCount());
        assertEquals(5, r.violations().get(0).opIndex());
        assertEquals(2, r.ledgers().walks().hits());
        assertEquals(2, design(r).upgrades());

        // the same with the faulted part VM_DONTCOPY before the fork
        r = run(Scenario.ops("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x2 rw- anon
                P touch 0x1000 0x1 write
                P mprotect 0x1001 0x1 r--
                P walk 0x1000 0x1
                P madvise 0x1000 0x1 dontfork
                P fork C
                P walk 0x1000 0x1
                """), "lazy", CheckMode.WALKS);
        assertEquals(2, r.ledgers().walks().missed()); // before and after the fork
        assertEquals(State.LAZY, design(r).state(vmaAt(r, "P", 0x1000)));
    }
}
