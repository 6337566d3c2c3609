package rmaplab.race;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import rmaplab.design.linux.LinuxBug;
import rmaplab.design.linux.LinuxDesign;
import rmaplab.ledger.Ledgers;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.Op;
import rmaplab.workload.Workloads;

/**
 * The degree option (before 2555283eb40d, CVE-2022-42703) reuses an
 * anon_vma that a live VMA still uses: the "double reuse" of the fix's
 * title. {@link #oneForkReusesOneAnonVmaForTwoChains} is the reuse that hurts:
 * the state examples/race/degree-merge-vs-walk.rmw builds before its merge
 * (RaceExamplesTest finds the use-after-free that follows).
 *
 * <pre>
 *   A ─fork→ C1 ─fork→ C2 ─fork→ C3 ─fork→ C4      C1 exits after forking C2
 *   anon_vmas: A:av1  C1:av2  C2:av3  C3 reuses av2 (no VMA, one child: allowed)
 *   C4: av3 is on C3's chain, is not C3's own and has degree 1 (C2's VMA, no child):
 *       before the fix it is reused although C2's VMA uses it
 * </pre>
 */
class DegreeOptionTest {
    static final String W = """
            rmaplab-workload 1
            A spawn
            A mmap 0x100 1 rw- anon
            A touch 0x100 1 write
            A fork C1
            C1 fork C2
            C1 exit
            C2 fork C3
            C3 fork C4
            """;

    static long[][] anonVmas(Set<LinuxBug> bugs) throws Exception {
        Machine m = new Machine(MachineConfig.defaults(), new Ledgers(), c -> new LinuxDesign(c, bugs));
        for (Op op : Workloads.parse("degree", W)) m.apply(op);
        LinuxDesign d = (LinuxDesign) m.design();
        return new long[][] {d.anonVmaIds(m.task("C2").mm().find(0x100)), d.anonVmaIds(m.task("C3").mm().find(0x100)),
                d.anonVmaIds(m.task("C4").mm().find(0x100))};
    }

    @Test void beforeTheFixC4TakesTheAnonVmaC2Uses() throws Exception {
        long[][] bug = anonVmas(EnumSet.of(LinuxBug.DEGREE));
        assertArrayEquals(bug[0], bug[2], "C2 and C4 share C2's anon_vma");
        long[][] fixed = anonVmas(Set.of());
        assertFalse(fixed[0][0] == fixed[2][0], "with the fix C4 gets an anon_vma of its own");
        assertArrayEquals(fixed[1], bug[1], "C3's reuse of C1's anon_vma (no VMA left) is allowed by both rules");
    }

    /** The ops of examples/race/degree-merge-vs-walk.rmw up to C5's fork (before its merge). */
    static Machine doubleReuse(Set<LinuxBug> bugs) throws Exception {
        String w = java.nio.file.Files.readString(java.nio.file.Path.of("examples/race/degree-merge-vs-walk.rmw"));
        String upToFork = w.substring(0, w.indexOf("C5 mprotect"));
        Machine m = new Machine(MachineConfig.defaults(), new Ledgers(), c -> new LinuxDesign(c, bugs));
        for (Op op : Workloads.parse("degree-merge", upToFork)) m.apply(op);
        return m;
    }

    /**
     * Before the fix one fork gives C5's two VMAs one anon_vma although their chains differ (C4's [0x101] has
     * its own anon_vma on its chain, [0x100] does not): is_mergeable_anon_vma's assumption, same anon_vma so
     * same chain, no longer holds. With the fix the second VMA gets an anon_vma of its own.
     */
    @Test void oneForkReusesOneAnonVmaForTwoChains() throws Exception {
        Machine bug = doubleReuse(EnumSet.of(LinuxBug.DEGREE));
        LinuxDesign d = (LinuxDesign) bug.design();
        var lo = bug.task("C5").mm().find(0x100);
        var hi = bug.task("C5").mm().find(0x101);
        assertArrayEquals(d.anonVmaIds(lo), d.anonVmaIds(hi), "one anon_vma for both VMAs");
        long[] loChain = d.chainIds(lo), hiChain = d.chainIds(hi);
        assertFalse(java.util.Arrays.equals(loChain, hiChain), "chains " + java.util.Arrays.toString(loChain));
        assertArrayEquals(new long[] {5, 4, 3, 2, 1}, loChain, "the numbering the example's comments use");
        assertArrayEquals(new long[] {6, 4, 3, 2, 1}, hiChain, "the numbering the example's comments use");
        assertEquals(4, d.anonVmaIds(lo)[0], "both reuse av4");
        Machine fixed = doubleReuse(Set.of());
        LinuxDesign f = (LinuxDesign) fixed.design();
        assertFalse(f.anonVmaIds(fixed.task("C5").mm().find(0x100))[0] == f.anonVmaIds(fixed.task("C5").mm().find(0x101))[0],
                "with the fix the two VMAs have different anon_vmas, so they never merge");
    }
}
