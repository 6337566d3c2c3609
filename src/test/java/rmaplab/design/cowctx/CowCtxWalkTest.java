package rmaplab.design.cowctx;

import static org.junit.jupiter.api.Assertions.*;
import static rmaplab.design.cowctx.Support.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import rmaplab.gen.Generator;
import rmaplab.gen.Generators;
import rmaplab.run.CheckMode;
import rmaplab.run.Ran;
import rmaplab.sim.MachineConfig;
import rmaplab.testing.Scenario;
import rmaplab.workload.Op;

/** The walk: order, dead contexts, and the linux-mm case. */
class CowCtxWalkTest {
    private static Ran walkOnly(List<Op> ops, String design) {
        return run(ops, design, MachineConfig.defaults(), CheckMode.WALKS);
    }

    private static int mmId(Ran r, String task) { return mm(r, task).id(); }

    /**
     * P makes folio F and forks C1 then C2; C2 forks G1 then G2. The walk of
     * F visits P's context first, then the descendants in post-order, newest
     * child first: P, G2, G1, C2, C1. Every process but P and one keeper X
     * CoW-copies the page, so F is mapped twice (shared: no early stop) and
     * the walk ends at X; each live context has a VMA at the page, so the
     * walk makes one visit per context: visits = 1 + X's place in G2, G1, C2, C1.
     */
    @ParameterizedTest
    @CsvSource({"G2,2", "G1,3", "C2,4", "C1,5"})
    void postOrderNewestChildFirst(String keeper, int visits) {
        Scenario scenario = Scenario.of("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x1 rw- anon
                P touch 0x1000 0x1 write
                P fork C1
                P fork C2
                C2 fork G1
                C2 fork G2
                """);
        for (String t : List.of("C1", "C2", "G1", "G2"))
            if (!t.equals(keeper)) scenario.then(t + " touch 0x1000 0x1 write");
        scenario.then("P walk 0x1000 0x1");
        Ran r = walkOnly(scenario.ops(), "cowctx");
        assertTrue(r.ok());
        assertEquals(1, r.ledgers().walks().walks());
        assertEquals(visits, r.ledgers().walks().visits());
        assertEquals(2, r.ledgers().walks().hits());
        List<Integer> full = List.of(mmId(r, "P"), mmId(r, "G2"), mmId(r, "G1"), mmId(r, "C2"), mmId(r, "C1"));
        assertArrayEquals(full.subList(0, visits).stream().mapToInt(Integer::intValue).toArray(), design(r).lastWalkOrder());
        assertEquals(2L * visits, r.ledgers().walks().steps()); // per context: entering it + one VMA-tree lookup
    }

    /**
     * Dead contexts are entered but skipped, and the traversal goes on into
     * their descendants; a dead folio context is no reason for the early stop.
     * P makes F, forks C, C forks G, then P and C exit: F (still P's) is
     * mapped by G only. The walk enters P (dead), goes down through C (dead,
     * not yet entered: post-order) to G, and ends there.
     */
    @Test
    void deadContextsAreSkippedButTheirDescendantsWalked() {
        List<Op> ops = Scenario.ops("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x1 rw- anon
                P touch 0x1000 0x1 write
                P fork C
                C fork G
                P exit
                C exit
                G walk 0x1000 0x1
                """);
        Ran r = run(ops, "cowctx");
        assertTrue(r.ok());
        assertEquals(1, r.ledgers().walks().visits());
        assertArrayEquals(new int[] {1, mmId(r, "G")}, design(r).lastWalkOrder());
        assertEquals(3, live(r, "cow_context")); // dead P and C are still there
    }

    static List<Op> linuxMm(long regions, long children) {
        Generator g = Generators.get("linux-mm");
        List<Op> ops = new ArrayList<>();
        g.generate(g.resolve(Map.of("regions", "" + regions, "children", "" + children)), ops::add);
        return ops;
    }

    /**
     * The linux-mm case: N one-page regions written by P, K children, child k
     * keeps only region k. P then walks every region, in address order.
     *
     * <p>No folio ever moves (the children only read), so every folio is in
     * P's context, whose children list is C(K-1) ... C0, newest first. Region
     * i (i < K) is mapped by P and Ci: shared, so no early stop; the walk
     * enters P (a hit), then C(K-1), C(K-2), ... down to Ci, where the last
     * mapping is found: 1 + (K - i) contexts, 2 visits (each other child has
     * no VMA there and is only a VMA-tree lookup). For N = K = 100 that is
     * 101 contexts for region 0 down to 2 for region 99: N + N(N+1)/2 = 5150
     * in all (N = K = 1000: 501,500). Steps are two per context (entering it,
     * one VMA lookup): 10,300.
     */
    @Test
    void linuxMm100x100() {
        Ran r = walkOnly(linuxMm(100, 100), "cowctx");
        assertTrue(r.ok());
        CowCtxDesign d = design(r);
        assertEquals(100, r.ledgers().walks().walks());
        assertEquals(5150, d.contextsEntered());
        // the walk ledger's figure is the same count, per walk: 101 for region 0 down to 2 for region 99
        assertEquals(5150, r.ledgers().walks().entered());
        assertEquals(101, r.ledgers().walks().maxEntered());
        assertEquals(51.5, r.ledgers().walks().meanEntered());
        assertEquals(100, r.ledgers().walks().enteredQuantile(0.99));
        assertEquals(200, r.ledgers().walks().visits());
        assertEquals(200, r.ledgers().walks().hits());
        assertEquals(10300, r.ledgers().walks().steps());
        assertArrayEquals(new int[] {mmId(r, "P"), mmId(r, "C99")}, d.lastWalkOrder()); // region 99
        assertEquals(101, live(r, "cow_context"));
        // the fix changes nothing here: every folio is shared
        Ran f = walkOnly(linuxMm(100, 100), "cowctx-fixed");
        assertEquals(5150, design(f).contextsEntered());
        assertEquals(10300, f.ledgers().walks().steps());
    }

    /**
     * N = 60 regions, K = 40 children: regions 40..59 are kept by no child,
     * so their folios are exclusive to P and found at once (1 context each);
     * region i < 40 takes 1 + (40 - i). 20 + (2 + ... + 41) = 20 + 860 = 880.
     */
    @Test
    void linuxMmMoreRegionsThanChildren() {
        Ran r = walkOnly(linuxMm(60, 40), "cowctx");
        assertTrue(r.ok());
        assertEquals(880, design(r).contextsEntered());
        assertEquals(2 * 40 + 20, r.ledgers().walks().visits());
    }
}
