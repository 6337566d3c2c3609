package rmaplab.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import rmaplab.design.pv.PvDesign;
import rmaplab.ledger.Ledgers;
import rmaplab.sim.AnonMerge;
import rmaplab.sim.DesignContext;
import rmaplab.sim.RmapDesign;
import rmaplab.sim.WalkSink;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.Mm;
import rmaplab.sim.Vma;
import rmaplab.sim.VmaChange;
import rmaplab.sim.WorkloadError;
import rmaplab.workload.Advice;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

class RandomOpsTest {
    static final int SEEDS = 500;

    @Test
    void sameParamsSameOps() {
        for (long seed = 1; seed <= 20; seed++) {
            assertEquals(RandomOps.generate(seed, 300), RandomOps.generate(seed, 300));
            assertEquals(RandomOps.generate(seed, 300).subList(0, 100), RandomOps.generate(seed, 100));
        }
        assertNotEquals(RandomOps.generate(1, 100), RandomOps.generate(2, 100));
    }

    @Test
    void nextStreamsTheSameOps() {
        RandomOps g = new RandomOps(RandomOps.Params.of(7, 0));
        List<Op> l = new ArrayList<>();
        for (int i = 0; i < 200; i++) l.add(g.next());
        assertEquals(RandomOps.generate(7, 200), l);
    }

    /**
     * The ops are valid (the simulated kernel throws no WorkloadError), stay
     * in the window and under the task bound, for both zero-page settings, a
     * narrow and a wide stack guard gap, and windows of other sizes.
     */
    @Test
    void opsAreValidInTheWindowAndUnderTheTaskBound() {
        List<RandomOps.Params> ps = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS; seed++) ps.add(RandomOps.Params.of(seed, 300));
        for (long seed = 1; seed <= 100; seed++) ps.add(new RandomOps.Params(300, seed, 0x10000, 16, 3));
        for (long seed = 1; seed <= 100; seed++) ps.add(new RandomOps.Params(300, seed, 0x1000, 0x1000, 30));
        for (RandomOps.Params p : ps) {
            for (MachineConfig cfg : List.of(MachineConfig.defaults(), MachineConfig.defaults().withZeroPage(false),
                    new MachineConfig(true, 1, 2048, MachineConfig.defaults().sizes()))) {
                Machine m = new Machine(cfg, new Ledgers(), PvDesign::new);
                List<Op> ops = RandomOps.generate(p);
                assertEquals(p.length(), ops.size());
                for (int i = 0; i < ops.size(); i++) {
                    Op op = ops.get(i);
                    try {
                        m.apply(op);
                    } catch (WorkloadError e) {
                        fail(p + ": op " + (i + 1) + " " + op + ": " + e.getMessage());
                    }
                    assertTrue(m.tasks().size() <= p.maxTasks(), p + ": too many tasks after op " + (i + 1));
                    for (long[] r : ranges(op))
                        assertTrue(r[0] >= p.base() && r[0] + r[1] <= p.base() + p.pages() && r[1] > 0,
                                p + ": op " + (i + 1) + " " + op + " leaves the window");
                }
            }
        }
    }

    /** Tiny windows fill up: whatever is mapped, the generator finds a next op (it once picked from an empty range). */
    @Test
    void tinyWindowsDoNotStopTheGenerator() {
        for (int pages : new int[] {16, 24})
            for (int tasks : new int[] {3, 4})
                for (long seed = 1; seed <= 2000; seed++)
                    assertEquals(300, RandomOps.generate(new RandomOps.Params(300, seed, 0x100, pages, tasks)).size());
    }

    private static List<long[]> ranges(Op op) {
        return switch (op) {
            case Op.Mmap m -> List.of(new long[] {m.addr(), m.len()});
            case Op.Munmap m -> List.of(new long[] {m.addr(), m.len()});
            case Op.Mprotect m -> List.of(new long[] {m.addr(), m.len()});
            case Op.Mremap m -> List.of(new long[] {m.addr(), m.len()}, new long[] {m.newAddr(), m.newLen()});
            case Op.Madvise m -> List.of(new long[] {m.addr(), m.len()});
            case Op.Touch m -> List.of(new long[] {m.addr(), m.len()});
            case Op.Walk m -> List.of(new long[] {m.addr(), m.len()});
            case Op.Migrate m -> List.of(new long[] {m.addr(), m.len()});
            default -> List.of();
        };
    }

    /** Every op, kind, protection, mmap flag set and advice of the format appears, and every shape of mremap and touch. */
    @Test
    void coversTheWholeFormat() {
        Set<String> seen = new TreeSet<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            for (Op op : RandomOps.generate(seed, 200)) {
                seen.add(op.keyword());
                switch (op) {
                    case Op.Mmap m -> {
                        seen.add("mmap " + m.kind().type());
                        seen.add("prot " + m.prot());
                        seen.add("mmap flags " + rmaplab.workload.MapFlag.spell(m.flags()));
                    }
                    case Op.Mprotect m -> seen.add("prot " + m.prot());
                    case Op.Madvise m -> seen.add("madvise " + m.advice());
                    case Op.Touch t -> seen.add(t.write() ? "touch write" : "touch read");
                    case Op.Mremap m -> seen.add("mremap " + (m.newAddr() != m.addr()
                            ? (m.newLen() == m.len() ? "move" : m.newLen() > m.len() ? "move+grow" : "move+shrink")
                            : m.newLen() > m.len() ? "grow" : m.newLen() < m.len() ? "shrink" : "same"));
                    default -> { }
                }
            }
        }
        Set<String> want = new TreeSet<>(List.of("spawn", "fork", "thread", "vfork", "exec", "exit", "nofork", "mmap",
                "munmap", "mprotect", "mremap", "madvise", "touch", "walk", "migrate", "touch read", "touch write",
                "mremap move", "mremap move+grow", "mremap move+shrink", "mremap grow", "mremap shrink"));
        for (MapKind.Type t : MapKind.Type.values()) want.add("mmap " + t);
        for (Prot p : Prot.values()) want.add("prot " + p);
        for (Advice a : Advice.values()) want.add("madvise " + a);
        // no extra flags, each flag alone, and both
        want.addAll(List.of("mmap flags ", "mmap flags noreserve", "mmap flags stack", "mmap flags noreserve,stack"));
        want.removeAll(seen);
        assertTrue(want.isEmpty(), "never generated: " + want);
    }

    /**
     * The interleavings the generator aims at do happen in the simulated
     * kernel: merges of new, changed and moved mappings, splits, mremap
     * copies, CoW copies and reuse, migration, stack growth, the exit of a
     * process whose child still maps its folios, and exec and exit of vfork
     * children.
     */
    @Test
    void reachesTheTrickyKernelPaths() {
        Map<String, Long> events = new TreeMap<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            MachineConfig cfg = MachineConfig.defaults().withZeroPage((seed & 1) != 0);
            if ((seed & 2) == 0) cfg = new MachineConfig(cfg.zeroPage(), 1, cfg.stackLimit(), cfg.sizes());
            Counting[] d = new Counting[1];
            Machine m = new Machine(cfg, new Ledgers(), ctx -> d[0] = new Counting(ctx, events));
            for (Op op : RandomOps.generate(seed, 200)) {
                Mm mm = op instanceof Op.Spawn ? null : m.task(op.task()).mm();
                int vmasBefore = mm == null ? 0 : mm.vmaCount();
                boolean belowStack = op instanceof Op.Touch t && mm.find(t.addr()) == null;
                rmaplab.sim.Process exiting = op instanceof Op.Exit ? m.task(op.task()).process() : null;
                m.apply(op);
                if (belowStack && mm.find(((Op.Touch) op).addr()) != null) events.merge("stack grew", 1L, Long::sum);
                if (op instanceof Op.Mmap && mm.vmaCount() == vmasBefore) events.merge("mmap merged", 1L, Long::sum);
                if (exiting != null && exiting.liveThreads() == 0 && hasLiveDescendant(m, exiting))
                    events.merge("exit with children", 1L, Long::sum);
            }
        }
        Set<String> want = new TreeSet<>(List.of("mmap merged", "stack grew", "vmaSplit@mprotect", "vmaSplit@munmap",
                "vmaSplit@madvise", "vmaRemoved@mprotect", "vmaAdjusted@mprotect", "vmaAdjusted@mremap",
                "vmaCopied@mremap", "vmaDupAnon@mremap", "vmaDupAnon@mprotect", "reuseAnonFolio@touch",
                "newAnonFolio@touch", "folioMigrated@migrate", "pteUnmapped@touch", "forkVma@fork",
                "exit with children", "mmDestroyed@exec", "mmDestroyed@exit"));
        want.removeAll(events.keySet());
        assertTrue(want.isEmpty(), "never reached: " + want + "\nreached: " + events);
        System.out.println("RandomOps kernel events over " + SEEDS + " sequences: " + events);
    }

    /** A live task's process descends from p: p was a middle process of a fork chain. */
    private static boolean hasLiveDescendant(Machine m, rmaplab.sim.Process p) {
        for (var t : m.tasks().values())
            for (var q = t.process().parent(); q != null; q = q.parent()) if (q == p) return true;
        return false;
    }

    /** pv, counting design events by the op that caused them. */
    static final class Counting implements RmapDesign {
        private final PvDesign pv;
        private final DesignContext ctx;
        private final Map<String, Long> events;

        Counting(DesignContext ctx, Map<String, Long> events) {
            this.pv = new PvDesign(ctx);
            this.ctx = ctx;
            this.events = events;
        }

        private void count(String e) { events.merge(e + "@" + ctx.ledgers().ctx.op(), 1L, Long::sum); }

        @Override public long vmaGrowthBytes() { return pv.vmaGrowthBytes(); }
        @Override public void vmaPrepare(VmaChange c) { if (c.dupFrom() != null) count("vmaDupAnon"); }
        @Override public void vmaComplete(VmaChange c) {
            if (c.kind() == VmaChange.Kind.SPLIT) count("vmaSplit");
            if (c.kind() == VmaChange.Kind.COPY) count("vmaCopied");
            for (var r : c.removed()) count("vmaRemoved");
            if (c.kind() != VmaChange.Kind.SPLIT) for (var a : c.adjusted()) count("vmaAdjusted");
        }
        @Override public void mmDestroyed(Mm mm) { count("mmDestroyed"); }
        @Override public void forkVma(Vma parent, Vma child) { count("forkVma"); }
        @Override public void anonPrepare(Vma vma) { count("anonPrepare"); }

        @Override public void newAnonFolio(int folio, Vma vma, long vpage, boolean exclusive) {
            count("newAnonFolio");
            pv.newAnonFolio(folio, vma, vpage, exclusive);
        }

        @Override public void reuseAnonFolio(int folio, Vma vma, long vpage) { count("reuseAnonFolio"); }

        @Override public void pteMapped(int folio, Vma vma, long vpage) { pv.pteMapped(folio, vma, vpage); }

        @Override public void pteUnmapped(int folio, Vma vma, long vpage) {
            count("pteUnmapped");
            pv.pteUnmapped(folio, vma, vpage);
        }

        @Override public void folioMigrated(int oldFolio, int newFolio) {
            count("folioMigrated");
            pv.folioMigrated(oldFolio, newFolio);
        }

        @Override public boolean isMergeableAnon(AnonMerge q) { return true; }
        @Override public boolean isMergeableAnonBoth(Vma prev, Vma next) { return true; }
        @Override public void walk(int folio, WalkSink sink) { pv.walk(folio, sink); }
    }
}
