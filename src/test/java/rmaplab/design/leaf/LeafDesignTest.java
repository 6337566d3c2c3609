package rmaplab.design.leaf;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.ledger.ObjectFigures;
import rmaplab.rmap.Designs;
import rmaplab.sim.ForkSchedule;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.Ran;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.Workloads;

/**
 * Exact object counts of linux-nofork and leaf-bound on small workloads,
 * beside linux, each with the oracle after every op. The expected counts are
 * explained before each assertion.
 */
class LeafDesignTest {
    static final String HEAD = "rmaplab-workload 1\n";

    static List<Op> ops(String body) throws WorkloadException { return Workloads.parse("t.rmw", HEAD + body); }

    static Ran run(String design, String body) throws Exception {
        Ran r = Ran.run(OpSource.of("t.rmw", ops(body)), Designs.get(design), MachineConfig.defaults().withZeroPage(false),
                CheckMode.EVERY_OP);
        assertTrue(r.ok(), design + ": " + r.violations() + " " + r.mapcountError());
        return r;
    }

    static ObjectFigures.Type type(Ran r, String name) { return r.ledgers().objects().types().get(name); }

    static long allocated(Ran r, String name) { return type(r, name).allocated(); }

    /** Live folios keyed by mm and address at the end. */
    static long addressKeyed(Ran r) {
        LeafDesign d = (LeafDesign) r.machine().design();
        long n = 0;
        for (int f : r.machine().liveFolios()) if (d.addressKeyed(f)) n++;
        return n;
    }

    @Test
    void aNoforkProcessFaultingAFreshVmaAllocatesNoAnonVma() throws Exception {
        String w = """
                P spawn
                P nofork
                P mmap 0x100 16 rw- anon
                P touch 0x100 16 write
                P walk 0x100 16
                """;
        Ran linux = run("linux", w), nofork = run("linux-nofork", w), bound = run("leaf-bound", w);
        // linux: __anon_vma_prepare at the first fault, one anon_vma and its AVC
        assertEquals(1, allocated(linux, "anon_vma"));
        assertEquals(1, allocated(linux, "anon_vma_chain"));
        for (Ran r : List.of(nofork, bound)) {
            assertEquals(0, allocated(r, "anon_vma"), r.design());
            assertEquals(0, allocated(r, "anon_vma_chain"), r.design());
            assertEquals(16, addressKeyed(r), r.design());
            // each of the 16 walks visits the one place its folio is mapped
            assertEquals(16, r.ledgers().walks().visits(), r.design());
            assertEquals(16, r.ledgers().walks().hits(), r.design());
        }
    }

    @Test
    void aPromiseAfterForkKeepsLinuxForWhatIsSharedAndKeysTheRestByAddress() throws Exception {
        String w = """
                P spawn
                P mmap 0x100 4 rw- anon
                P touch 0x100 4 write
                P fork C
                C nofork
                C mmap 0x200 8 rw- anon
                C touch 0x200 8 write
                C touch 0x100 2 write
                P walk 0x100 4
                C walk 0x100 4
                """;
        Ran linux = run("linux", w), nofork = run("linux-nofork", w), bound = run("leaf-bound", w);
        // linux: P's anon_vma (1 AVC); C's fork: its own anon_vma, AVCs to it and to P's (2);
        // C's new VMA: an anon_vma and an AVC
        assertEquals(3, allocated(linux, "anon_vma"));
        assertEquals(4, allocated(linux, "anon_vma_chain"));
        // linux-nofork: the fork is linux's (C had promised nothing yet); after the promise C's new VMA
        // needs nothing, and its 8 new folios and 2 CoW copies are keyed by address
        assertEquals(2, allocated(nofork, "anon_vma"));
        assertEquals(3, allocated(nofork, "anon_vma_chain"));
        assertEquals(10, addressKeyed(nofork));
        // leaf-bound: C never forks, so it is a leaf from its birth: one AVC linking its inherited VMA
        // to P's anon_vma (the two pages still shared are found through it), no anon_vma of its own
        assertEquals(1, allocated(bound, "anon_vma"));
        assertEquals(2, allocated(bound, "anon_vma_chain"));
        assertEquals(10, addressKeyed(bound));
        // each walk of 4 pages: 0x100 and 0x101 are mapped once (P's originals, C's copies), 0x102 and 0x103
        // twice (shared, found through P's anon_vma): 6 hits each, in every design
        for (Ran r : List.of(linux, nofork, bound)) assertEquals(12, r.ledgers().walks().hits(), r.design());
    }

    @Test
    void leafBoundOnAWorkloadWithoutForksAllocatesNoAnonVmaAtAll() throws Exception {
        // threads, vfork + exec (vfork copies nothing), exec, mremap, mprotect, migrate: no fork anywhere
        String w = """
                P spawn
                P thread T
                P mmap 0x100 8 rw- anon
                T touch 0x100 8 write
                P mprotect 0x102 2 r--
                P mremap 0x104 4 0x300 4
                P vfork V
                V touch 0x100 1 write
                V exec
                V mmap 0x100 4 rw- anon
                V touch 0x100 4 write
                T migrate 0x100 2
                P mprotect 0x102 2 rw-
                P walk 0x100 4
                T exit
                P exec
                P mmap 0x500 4 rw- stack
                P touch 0x4fe 6 write
                """;
        Ran linux = run("linux", w), bound = run("leaf-bound", w);
        assertTrue(allocated(linux, "anon_vma") > 0);
        assertEquals(0, allocated(bound, "anon_vma"));
        assertEquals(0, allocated(bound, "anon_vma_chain"));
        // linux-nofork without a promise is linux, object for object
        Ran nofork = run("linux-nofork", w);
        assertEquals(allocated(linux, "anon_vma"), allocated(nofork, "anon_vma"));
        assertEquals(allocated(linux, "anon_vma_chain"), allocated(nofork, "anon_vma_chain"));
    }

    @Test
    void anAddressKeyedVmaDoesNotAbsorbARangeThatCarriesAnAnonVma() throws Exception {
        //   0x100 0x101 ... 0x200
        //   A                      A faulted (anon_vma X), then moved to 0x200 (pgoff stays 0x100)
        //         B         A      promise; B faulted: keyed by address, no anon_vma
        //   A     B                A moved back: next to B and linear with it, but B has no X to give
        String w = """
                P spawn
                P mmap 0x100 1 rw- anon
                P touch 0x100 1 write
                P mremap 0x100 1 0x200 1
                P nofork
                P mmap 0x101 1 rw- anon
                P touch 0x101 1 write
                P mremap 0x200 1 0x100 1
                P walk 0x100 2
                """;
        Ran nofork = run("linux-nofork", w);
        assertEquals(2, nofork.machine().liveVmas()); // Linux would merge (Case 1); here they stay apart
        assertEquals(1, allocated(nofork, "anon_vma"));
        assertEquals(1, addressKeyed(nofork));
        // leaf-bound: P never forks, so A was keyed by address too, and they merge
        Ran bound = run("leaf-bound", w);
        assertEquals(1, bound.machine().liveVmas());
        assertEquals(0, allocated(bound, "anon_vma"));
        assertEquals(2, addressKeyed(bound));
    }

    @Test
    void aVforkChildSharingTheMmKeepsItFromBeingALeaf() throws Exception {
        // Q promises, but its vfork child V still shares Q's mm and forks it: Q's folio must stay linux's
        String w = """
                Q spawn
                Q mmap 0x100 2 rw- anon
                Q vfork V
                Q nofork
                Q touch 0x100 2 write
                V fork D
                Q walk 0x100 2
                V exit
                Q touch 0x100 1 write
                """;
        Ran nofork = run("linux-nofork", w);
        assertEquals(2, allocated(nofork, "anon_vma")); // Q's at the fault, D's own at the fork
        // after V exits Q's mm is a leaf: the CoW copy Q makes of the page it shares with D is keyed by address
        assertEquals(1, addressKeyed(nofork));
        // Q's walks found both mappings of each page (Q's and D's)
        assertEquals(4, nofork.ledgers().walks().hits());
        Ran bound = run("leaf-bound", w);
        assertEquals(1, allocated(bound, "anon_vma")); // Q's; D never forks: no anon_vma of its own
        assertEquals(1, addressKeyed(bound));
    }

    @Test
    void leafBoundNeedsTheFirstPass() {
        // a machine driven op by op, outside the runner, has no future to give
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new rmaplab.sim.Machine(
                MachineConfig.defaults(), new rmaplab.ledger.Ledgers(), Designs.get("leaf-bound").factory()));
        assertTrue(e.getMessage().contains("future forks"), e.getMessage());
    }

    @Test
    void theScheduleCountsThreadsForksAndNotVforkCopies() throws Exception {
        ForkSchedule s = Runner.validate(OpSource.of("t.rmw", ops("""
                P spawn
                P thread T
                T fork C
                P vfork V
                V exec
                V fork W
                """)), MachineConfig.defaults());
        // pids: P=1, C=2, V=3, W=4; mms: P's=1, C's=2, V's after exec=3, W's=4
        assertEquals(4, s.lastFork(1)); // T's fork (op 3) and P's vfork (op 4) are P's forks
        assertEquals(3, s.lastCopy(1)); // only T's fork copies P's mm; the vfork copies nothing
        assertEquals(6, s.lastFork(3));
        assertEquals(6, s.lastCopy(3)); // V forks its own mm, made by its exec
        assertEquals(0, s.lastFork(2));
        assertEquals(0, s.lastCopy(2));
    }
}
