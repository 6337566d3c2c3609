package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.StringJoiner;
import rmaplab.ledger.Ledgers;
import rmaplab.oracle.Oracle;
import rmaplab.rmap.Designs;
import rmaplab.testing.AddressSpaceDrawing;
import rmaplab.testing.Scenario;
import rmaplab.workload.Op;

/**
 * A simulated machine for tests of the simulated kernel itself: runs ops on
 * the exact pv design, checks every folio with the oracle after every op, and
 * describes the state compactly for assertions. A test writes its steps as
 * workload lines ({@link #run}); the fixture keeps the whole scenario as one
 * workload text (the header is the fixture's), read by the product's reader.
 */
final class SimFixture {
    final Ledgers ledgers = new Ledgers();
    final Machine m;
    final Oracle oracle;
    final Scenario scenario = Scenario.of("sim", "rmaplab-workload 1\n");
    /** The op applied last (its range is marked in drawings), or null. */
    private Op last;

    SimFixture(boolean zeroPage) { this(MachineConfig.defaults().withZeroPage(zeroPage)); }

    SimFixture(MachineConfig config) {
        m = new Machine(config, ledgers, Designs.get("pv").factory());
        oracle = new Oracle(m, 10);
    }

    SimFixture() { this(true); }

    /** Runs workload lines (no header): read with every line before them, then applied one by one. */
    SimFixture run(String lines) {
        for (Op op : scenario.then(lines)) apply(op);
        return this;
    }

    private SimFixture apply(Op op) {
        m.apply(op);
        last = op;
        oracle.sweep();
        assertEquals(0, oracle.violationCount(), () -> oracle.violations() + "\n" + scenario.text());
        assertNull(oracle.verifyMapcounts(), scenario::text);
        return this;
    }

    /** The task's VMAs as "start-end prot pgoff" with hex page numbers, e.g. "0-3 rw-p 0 | 3-5 r--p 3". */
    String vmas(String task) {
        StringJoiner j = new StringJoiner(" | ");
        for (Vma v : m.task(task).mm().vmas())
            j.add(Long.toHexString(v.start()) + "-" + Long.toHexString(v.end()) + " "
                    + VmFlags.describe(v.flags() & (VmFlags.VM_ACCESS_FLAGS | VmFlags.VM_SHARED)) + " "
                    + Long.toHexString(v.pgoff()) + (v.anonPrepared() ? " anon" : ""));
        return j.toString();
    }

    /**
     * Asserts the drawing of the task's address space (AddressSpaceDrawing's
     * legend), with the range of the last op marked when that op was on
     * this address space.
     */
    void assertDrawing(String task, String expected) {
        AddressSpaceDrawing.assertDrawing(expected, m, task, last);
    }

    long pte(String task, long vpage) { return m.task(task).mm().pageTable().get(vpage); }

    int folio(String task, long vpage) {
        long p = pte(task, vpage);
        assertTrue(Pte.isAnon(p), () -> task + " page " + Long.toHexString(vpage) + " maps no anonymous folio");
        return Pte.id(p);
    }

    int mapcount(String task, long vpage) { return m.folios().mapcount(folio(task, vpage)); }

    boolean exclusive(String task, long vpage) { return m.folios().exclusive(folio(task, vpage)); }

    long errors(String key) { return m.errors().getOrDefault(key, 0L); }
}
