package rmaplab.race;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * title. This is what the option changes; no op sequence found so far turns
 * it into a missed mapping or a use-after-free in this model (docs/races.md).
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
}
