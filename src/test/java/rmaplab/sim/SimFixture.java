package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.StringJoiner;
import rmaplab.ledger.Ledgers;
import rmaplab.oracle.Oracle;
import rmaplab.rmap.Designs;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/**
 * A simulated machine for tests of the simulated kernel itself: runs ops on
 * the exact pv design, checks every folio with the oracle after every op, and
 * describes the state compactly for assertions.
 */
final class SimFixture {
    final Ledgers ledgers = new Ledgers();
    final Machine m;
    final Oracle oracle;

    SimFixture(boolean zeroPage) {
        m = new Machine(MachineConfig.defaults().withZeroPage(zeroPage), ledgers, Designs.get("pv").factory());
        oracle = new Oracle(m, 10);
    }

    SimFixture() { this(true); }

    SimFixture op(Op op) {
        m.apply(op);
        oracle.sweep();
        assertEquals(0, oracle.violationCount(), () -> oracle.violations().toString());
        assertNull(oracle.verifyMapcounts());
        return this;
    }

    SimFixture spawn(String t) { return op(new Op.Spawn(t)); }
    SimFixture fork(String t, String c) { return op(new Op.Fork(t, c)); }
    SimFixture exit(String t) { return op(new Op.Exit(t)); }
    SimFixture mmap(String t, long a, long n, Prot p) { return op(new Op.Mmap(t, a, n, p, MapKind.ANON)); }
    SimFixture mmap(String t, long a, long n, Prot p, MapKind k) { return op(new Op.Mmap(t, a, n, p, k)); }
    SimFixture munmap(String t, long a, long n) { return op(new Op.Munmap(t, a, n)); }
    SimFixture mprotect(String t, long a, long n, Prot p) { return op(new Op.Mprotect(t, a, n, p)); }
    SimFixture mremap(String t, long a, long n, long na, long nn) { return op(new Op.Mremap(t, a, n, na, nn)); }
    SimFixture write(String t, long a, long n) { return op(new Op.Touch(t, a, n, true)); }
    SimFixture read(String t, long a, long n) { return op(new Op.Touch(t, a, n, false)); }

    /** The task's VMAs as "start-end prot pgoff" with hex page numbers, e.g. "0-3 rw-p 0 | 3-5 r--p 3". */
    String vmas(String task) {
        StringJoiner j = new StringJoiner(" | ");
        for (Vma v : m.task(task).mm().vmas())
            j.add(Long.toHexString(v.start()) + "-" + Long.toHexString(v.end()) + " "
                    + VmFlags.describe(v.flags() & (VmFlags.VM_ACCESS_FLAGS | VmFlags.VM_SHARED)) + " "
                    + Long.toHexString(v.pgoff()) + (v.anonPrepared() ? " anon" : ""));
        return j.toString();
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
