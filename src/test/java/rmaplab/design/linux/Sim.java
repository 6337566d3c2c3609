package rmaplab.design.linux;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import rmaplab.design.linux.LiveObjects.AnonVmas;
import rmaplab.design.linux.LiveObjects.Avcs;
import rmaplab.design.linux.LiveObjects.Vmas;
import rmaplab.ledger.Ledgers;
import rmaplab.ledger.ObjectLedger;
import rmaplab.oracle.Oracle;
import rmaplab.rmap.Designs;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.Pte;
import rmaplab.sim.Vma;
import rmaplab.sim.WalkResult;
import rmaplab.testing.AddressSpaceDrawing;
import rmaplab.testing.Scenario;
import rmaplab.workload.Advice;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;
import rmaplab.workload.WorkloadWriter;

/**
 * A simulated machine with the linux design, driven one op at a time so that
 * a test can assert after every step. The oracle walks every live folio after
 * every op (as CheckMode.EVERY_OP does) and any miss fails the test at once;
 * {@link #replay} runs the whole sequence again through the Runner. A test
 * writes its steps as workload lines ({@link #run}); the Sim keeps the whole
 * scenario as one workload text (the header is the Sim's), read by the
 * product's reader.
 */
final class Sim {
    final String name;
    final MachineConfig cfg;
    final Ledgers ledgers = new Ledgers();
    final Machine m;
    final Oracle oracle;
    final Scenario scenario;
    /** The op applied last (its range is marked in drawings), or null. */
    private Op last;
    /** How many ops have been applied (the oracle's op index). */
    private long applied;
    /** Sweep after every op (off for the large cases, which replay with END instead). */
    boolean sweep = true;

    Sim(String name) { this(name, MachineConfig.defaults()); }

    Sim(String name, MachineConfig cfg) {
        this.name = name;
        this.cfg = cfg;
        this.m = new Machine(cfg, ledgers, Designs.get("linux").factory());
        this.oracle = new Oracle(m, 5);
        this.scenario = Scenario.of(name, "rmaplab-workload 1\n");
    }

    LinuxDesign design() { return (LinuxDesign) m.design(); }

    /** Runs workload lines (no header): read with every line before them, then applied one by one. */
    Sim run(String lines) {
        for (Op op : scenario.then(lines)) step(op);
        return this;
    }

    /** Runs an op built in Java (written into the scenario as the product's writer spells it). */
    Sim apply(Op op) {
        scenario.append(op);
        return step(op);
    }

    private Sim step(Op op) {
        last = op;
        oracle.at(++applied, WorkloadWriter.format(op));
        m.apply(op);
        if (sweep) {
            oracle.sweep();
            assertEquals(0, oracle.violationCount(), () -> "after " + WorkloadWriter.format(op) + ": "
                    + oracle.violations().get(0).describe() + "\n" + scenario.text());
            assertNull(oracle.verifyMapcounts(), () -> "after " + WorkloadWriter.format(op) + "\n" + scenario.text());
        }
        return this;
    }

    Sim spawn(String t) { return apply(new Op.Spawn(t)); }
    Sim fork(String t, String child) { return apply(new Op.Fork(t, child)); }
    Sim exit(String t) { return apply(new Op.Exit(t)); }
    Sim mmap(String t, long addr, long len) { return mmap(t, addr, len, Prot.RW); }
    Sim mmap(String t, long addr, long len, Prot p) { return apply(new Op.Mmap(t, addr, len, p, MapKind.ANON)); }
    Sim mmap(String t, long addr, long len, Prot p, MapKind k) { return apply(new Op.Mmap(t, addr, len, p, k)); }
    Sim munmap(String t, long addr, long len) { return apply(new Op.Munmap(t, addr, len)); }
    Sim mprotect(String t, long addr, long len, Prot p) { return apply(new Op.Mprotect(t, addr, len, p)); }
    Sim mremap(String t, long addr, long len, long newAddr) { return apply(new Op.Mremap(t, addr, len, newAddr, len)); }
    Sim resize(String t, long addr, long len, long newLen) { return apply(new Op.Mremap(t, addr, len, addr, newLen)); }
    Sim madvise(String t, long addr, long len, Advice a) { return apply(new Op.Madvise(t, addr, len, a)); }
    Sim write(String t, long addr, long len) { return apply(new Op.Touch(t, addr, len, true)); }
    Sim read(String t, long addr, long len) { return apply(new Op.Touch(t, addr, len, false)); }
    Sim walkOp(String t, long addr, long len) { return apply(new Op.Walk(t, addr, len)); }
    Sim migrate(String t, long addr, long len) { return apply(new Op.Migrate(t, addr, len)); }

    // ------------------------------------------------------------------ counts

    long live(String type) {
        ObjectLedger.Type x = ledgers.objects.types().get(type);
        return x == null ? 0 : x.live;
    }

    long allocated(String type) {
        ObjectLedger.Type x = ledgers.objects.types().get(type);
        return x == null ? 0 : x.allocated;
    }

    long av() { return live(LinuxDesign.ANON_VMA); }
    long avc() { return live(LinuxDesign.AVC); }
    long vmas() { return m.liveVmas(); }

    /** The live anon_vma, anon_vma_chain and vm_area_struct objects now. */
    LiveObjects objects() { return new LiveObjects(av(), avc(), vmas()); }

    /** Asserts how many objects are live, e.g. {@code assertLive(anonVmas(1), avcs(3), vmas(3))}. */
    void assertLive(AnonVmas anonVmas, Avcs avcs, Vmas vmas) {
        assertEquals(LiveObjects.of(anonVmas, avcs, vmas), objects(), "live objects");
    }

    /** Asserts the change since {@code before}, e.g. {@code assertChange(before, anonVmas(0), avcs(+1), vmas(0))}. */
    void assertChange(LiveObjects before, AnonVmas anonVmas, Avcs avcs, Vmas vmas) {
        assertEquals(LiveObjects.of(anonVmas, avcs, vmas), objects().minus(before), "change in live objects");
    }

    // ------------------------------------------------------------------ VMAs and folios

    Vma vma(String t, long addr) { return m.task(t).mm().find(addr); }

    int vmaCount(String t) { return m.task(t).mm().vmaCount(); }

    /** Asserts that [start, end) is exactly one VMA of t. */
    Vma assertVma(String t, long start, long end) {
        Vma v = vma(t, start);
        assertNotNull(v, "no VMA at 0x" + Long.toHexString(start));
        assertEquals(start, v.start(), () -> "start of " + v);
        assertEquals(end, v.end(), () -> "end of " + v);
        return v;
    }

    /**
     * Asserts the drawing of the task's address space (AddressSpaceDrawing's
     * legend), with the range of the last op marked when it was on this
     * address space.
     */
    void assertDrawing(String t, String expected) { AddressSpaceDrawing.assertDrawing(expected, m, t, last); }

    AnonVma anonVma(String t, long addr) { return linux().anonVmaOf(vma(t, addr)); }

    LinuxDesign linux() { return (LinuxDesign) m.design(); }

    /** The VMA's anon_vma and chain, as LinuxDesign keeps them (null when it has none). */
    VmaAnon state(Vma v) { return linux().vmaAnonOf(v); }

    int chain(String t, long addr) { return linux().chainLength(vma(t, addr)); }

    int folio(String t, long vpage) {
        long pte = m.task(t).mm().pageTable().get(vpage);
        assertTrue(Pte.isAnon(pte), "no anonymous folio at 0x" + Long.toHexString(vpage));
        return Pte.id(pte);
    }

    /** One reverse walk of the folio mapped at vpage of t (recorded in the ledgers). */
    WalkResult walk(String t, long vpage) {
        WalkResult r = m.walk(folio(t, vpage), null);
        assertTrue(r.ok(), () -> "walk " + r);
        return r;
    }

    // ------------------------------------------------------------------ replay

    /** Runs the whole sequence again with the Runner, the oracle after every op. */
    RunResult replay() { return replay(CheckMode.EVERY_OP); }

    RunResult replay(CheckMode mode) {
        try {
            RunResult r = Runner.run(OpSource.of(name, scenario.ops()), "linux", cfg, mode);
            assertTrue(r.ok(), () -> r.violations() + " " + r.mapcountError());
            assertEquals(av(), r.ledgers().objects().types().get(LinuxDesign.ANON_VMA).live());
            assertEquals(avc(), r.ledgers().objects().types().get(LinuxDesign.AVC).live());
            return r;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
