package rmaplab.design.lazy;

import static org.junit.jupiter.api.Assertions.*;
import static rmaplab.design.lazy.LazySupport.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.design.lazy.LazyDesign.State;
import rmaplab.design.linux.LinuxDesign;
import rmaplab.ledger.LockLedger;
import rmaplab.run.CheckMode;
import rmaplab.run.Ran;
import rmaplab.sim.Vma;
import rmaplab.workload.Advice;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/**
 * The VMA states of ANON_VMA_LAZY (none, lazy, tree-parent, regular), their
 * transitions, the objects each costs and the locks each takes, on small
 * scenarios with hand-counted figures.
 */
class LazyStatesTest {
    private static final Prot RW = Prot.RW;

    private static List<Op> ops(Op... o) { return new ArrayList<>(List.of(o)); }

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

    /** P: one VMA of two pages, both written. */
    private static List<Op> faulted() {
        return ops(new Op.Spawn("P"), new Op.Mmap("P", 0x1000, 2, RW, MapKind.ANON), new Op.Touch("P", 0x1000, 2, true));
    }

    @Test
    void firstFaultTagsTheVmaAndAllocatesNothing() {
        List<Op> o = faulted();
        o.add(new Op.Walk("P", 0x1000, 2));
        Ran r = ok(o, "lazy");
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

        Ran l = ok(o, "linux"); // linux: an anon_vma, an AVC, a write lock at the first fault
        assertEquals(1, live(l, "anon_vma"));
        assertEquals(1, live(l, "anon_vma_chain"));
        assertEquals(1, acq(l, "anon_vma.rwsem", LockLedger.Mode.WRITE));
    }

    /** The design adds 1 % of the struct (2 bytes on 192); the slab charges the grown struct's slot, which the padding holds. */
    @Test
    void theVmaGrowsByOnePercentWhichThePaddingHolds() {
        Ran r = ok(faulted(), "lazy"), l = ok(faulted(), "linux");
        rmaplab.sim.SlabSizes sizes = r.machine().config().sizes();
        assertEquals(sizes.vmAreaStruct(), l.ledgers().objects().types().get("vm_area_struct").liveBytes());
        assertEquals(2, LazyDesign.vmaGrowth(192));
        assertEquals(LazyDesign.vmaGrowth(sizes.vmAreaStruct()), r.ledgers().objects().types().get("vm_area_struct").growth());
        assertEquals(sizes.vmAreaStruct(LazyDesign.vmaGrowth(sizes.vmAreaStruct())),
                r.ledgers().objects().types().get("vm_area_struct").liveBytes());
        assertEquals(192, rmaplab.sim.SlabSizes.DEFAULTS.vmAreaStruct(2));
    }

    /**
     * fork: P's lazy VMA is upgraded (an anon_vma and an AVC, both folios
     * re-pointed under their folio locks); C's copy is tree-parent: linked
     * to P's anon_vma by one AVC, no anon_vma of its own.
     */
    @Test
    void forkUpgradesTheParentAndRepointsItsFolios() {
        List<Op> o = faulted();
        o.add(new Op.Fork("P", "C"));
        o.add(new Op.Walk("P", 0x1000, 2));
        Ran r = ok(o, "lazy");
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

        Ran l = ok(o, "linux"); // linux: 2 anon_vmas, 3 AVCs
        assertEquals(2, live(l, "anon_vma"));
        assertEquals(3, live(l, "anon_vma_chain"));
    }

    /** A CoW in a tree-parent child allocates no anon_vma: the copy goes to the parent's anon_vma. */
    @Test
    void cowInATreeParentChildUsesTheParentsAnonVma() {
        List<Op> o = faulted();
        o.add(new Op.Fork("P", "C"));
        o.add(new Op.Touch("C", 0x1000, 1, true)); // C's copy: folio 3
        o.add(new Op.Walk("C", 0x1000, 1));
        Ran r = ok(o, "lazy");
        assertEquals(State.TREE_PARENT, design(r).state(vmaAt(r, "C", 0x1000)));
        assertEquals(1, allocated(r, "anon_vma"));
        assertEquals(2, allocated(r, "anon_vma_chain"));
        assertEquals(1, r.ledgers().walks().hits());
        assertEquals(2, r.ledgers().walks().visits()); // the tree holds P's VMA too: one visit more than linux
        Ran l = ok(o, "linux");
        assertEquals(1, l.ledgers().walks().visits());
    }

    /**
     * A tree-parent child that forks is upgraded: its own anon_vma, child of
     * the parent's; the grandchild is tree-parent on the child's.
     */
    @Test
    void aTreeParentChildThatForksGetsItsOwnAnonVma() {
        List<Op> o = faulted();
        o.add(new Op.Fork("P", "C"));
        o.add(new Op.Fork("C", "G"));
        o.add(new Op.Walk("G", 0x1000, 2));
        Ran r = ok(o, "lazy");
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

        Ran l = ok(o, "linux");
        assertEquals(3, live(l, "anon_vma"));
        assertEquals(1 + 2 + 3, live(l, "anon_vma_chain"));
    }

    /** A VMA mapped after the fork in the child starts lazy; an unfaulted one stays none; wipeonfork leaves the parent lazy. */
    @Test
    void newUnfaultedAndWipedVmas() {
        List<Op> o = faulted();
        o.add(new Op.Mmap("P", 0x2000, 1, RW, MapKind.ANON)); // never touched: none
        o.add(new Op.Mmap("P", 0x3000, 1, RW, MapKind.ANON));
        o.add(new Op.Touch("P", 0x3000, 1, true));
        o.add(new Op.Madvise("P", 0x3000, 1, Advice.WIPEONFORK));
        o.add(new Op.Fork("P", "C"));
        o.add(new Op.Mmap("C", 0x4000, 1, RW, MapKind.ANON));
        o.add(new Op.Touch("C", 0x4000, 1, true));
        Ran r = ok(o, "lazy");
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
     * A split: as posted, both halves keep the tag naming the root; in
     * lazy-fixed the VMA is upgraded first and both halves share its
     * anon_vma, as in linux.
     */
    @Test
    void splitKeepsTheTagAsPostedAndUpgradesInLazyFixed() {
        List<Op> o = faulted();
        o.add(new Op.Mprotect("P", 0x1001, 1, Prot.R)); // 0x1000 is the new VMA, the root keeps 0x1001
        Ran r = run(o, "lazy", CheckMode.WALKS);
        LazyDesign d = design(r);
        Vma lo = vmaAt(r, "P", 0x1000), hi = vmaAt(r, "P", 0x1001);
        assertEquals(State.LAZY, d.state(lo));
        assertSame(hi, d.lazyRoot(lo));
        assertSame(hi, d.lazyRoot(hi));
        assertSame(hi, d.lazyFolioVma(1)); // mapped in lo, names hi: the walk misses it (LazyFindingsTest)

        Ran f = ok(o, "lazy-fixed");
        LazyDesign fd = design(f);
        Vma flo = vmaAt(f, "P", 0x1000), fhi = vmaAt(f, "P", 0x1001);
        assertEquals(State.REGULAR, fd.state(flo));
        assertEquals(State.REGULAR, fd.state(fhi));
        assertArrayEquals(d.anonVmaIds(flo), d.anonVmaIds(fhi));
        assertEquals(2, fd.repointed());
        assertEquals(1, live(f, "anon_vma"));
        assertEquals(2, live(f, "anon_vma_chain"));
    }

    /** Two lazy VMAs with different roots never merge; a lazy VMA absorbs an unfaulted neighbour. */
    @Test
    void mergesCompareTags() {
        List<Op> o = ops(new Op.Spawn("P"),
                new Op.Mmap("P", 0x1000, 1, RW, MapKind.ANON), new Op.Touch("P", 0x1000, 1, true),
                new Op.Mmap("P", 0x1002, 1, RW, MapKind.ANON), new Op.Touch("P", 0x1002, 1, true),
                new Op.Mmap("P", 0x1001, 1, RW, MapKind.ANON), // joins 0x1000 (its tag) but not 0x1002
                new Op.Walk("P", 0x1000, 3));
        Ran r = ok(o, "lazy");
        assertEquals(2, r.machine().liveVmas());
        Vma a = vmaAt(r, "P", 0x1001);
        assertSame(a, vmaAt(r, "P", 0x1000));
        assertSame(a, design(r).lazyRoot(a));
        assertEquals(2, ok(o, "linux").machine().liveVmas());
    }

    /**
     * The upgrade reuses no tree-parent neighbour's anon_vma (its parent's):
     *   0 1
     *   X Y    in C: Y tree-parent (inherited from P), X lazy, rwx so that it does not merge with Y
     * but is anon_vma-compatible; C forks: X, upgraded first, gets an anon_vma of its own.
     */
    @Test
    void theUpgradeReusesNoTreeParentNeighbour() {
        List<Op> o = ops(new Op.Spawn("P"),
                new Op.Mmap("P", 0x1001, 1, RW, MapKind.ANON), new Op.Touch("P", 0x1001, 1, true),
                new Op.Fork("P", "C"),
                new Op.Mmap("C", 0x1000, 1, Prot.RWX, MapKind.ANON), new Op.Touch("C", 0x1000, 1, true),
                new Op.Fork("C", "G"),
                new Op.Walk("C", 0x1000, 2));
        Ran r = ok(o, "lazy");
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
        List<Op> o = ops(new Op.Spawn("P"), new Op.Mmap("P", 0x1000, 2, RW, MapKind.ANON),
                new Op.Touch("P", 0x1000, 1, true), new Op.Mprotect("P", 0x1001, 1, Prot.R),
                new Op.Walk("P", 0x1000, 1), // missed
                new Op.Fork("P", "C"),
                new Op.Walk("P", 0x1000, 1)); // found, in P and C
        Ran r = run(o, "lazy", CheckMode.WALKS);
        assertEquals(1, r.ledgers().walks().missed());
        assertEquals(1, r.violationCount());
        assertEquals(5, r.violations().get(0).opIndex());
        assertEquals(2, r.ledgers().walks().hits());
        assertEquals(2, design(r).upgrades());

        o.add(5, new Op.Madvise("P", 0x1000, 1, Advice.DONTFORK));
        r = run(o, "lazy", CheckMode.WALKS);
        assertEquals(2, r.ledgers().walks().missed()); // before and after the fork
        assertEquals(State.LAZY, design(r).state(vmaAt(r, "P", 0x1000)));
    }
}
