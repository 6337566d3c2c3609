package rmaplab.sim;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import rmaplab.ledger.Ledgers;
import rmaplab.workload.Op;
import rmaplab.workload.WalkKind;

/**
 * The simulated kernel: tasks, mms, VMAs, page tables, anonymous folios,
 * page-cache pages and the zero page, with the semantics of Linux 6.18 for
 * every workload op. It knows nothing of any rmap design: it calls the one it
 * runs through the hook points of {@link RmapDesign} where Linux calls
 * mm/rmap.c, and asks it whether anonymous VMAs may merge.
 *
 * <p>This class holds the machine's state and dispatches each op; the work is
 * done by one class per part of the kernel, each named after the source file
 * it follows: {@link Forks} (kernel/fork.c, exit), {@link Mmaps} (mm/mmap.c,
 * mprotect, madvise), {@link Vmas} (mm/vma.c: split, merge, the VMA change),
 * {@link Mremap} (mm/mremap.c), {@link Faults} (mm/memory.c) and
 * {@link Walks} (the rmap walk and migration).
 *
 * <p>Errors Linux returns at run time are counted in {@link #errors()}, not
 * thrown. Requests no program could make throw {@link WorkloadError}.
 * docs/kernel/vma-rules.md has the longer account of the rules.
 */
public final class Machine {
    final MachineConfig config;
    final Ledgers ledgers;
    final RmapDesign design;
    final Folios folios = new Folios();
    final PageCache pageCache = new PageCache();
    final Map<String, Task> tasks = new HashMap<>();
    final List<Process> processes = new ArrayList<>();
    final List<Mm> mms = new ArrayList<>();
    private final Map<String, Long> errors = new TreeMap<>();
    private final Map<String, Long> opCounts = new TreeMap<>();
    private final IntArrayList freeSlots = new IntArrayList();
    int nextPid = 1, nextMmId = 1, shmemCount, nextSlot;
    long nextVmaId = 1, liveVmas, faults, opIndex;
    final long vmaBytes;
    WalkObserver observer;
    boolean strict = true;

    final Vmas vmas = new Vmas(this);
    final Mmaps mmaps = new Mmaps(this);
    final Mremap mremap = new Mremap(this);
    final Faults faultPath = new Faults(this);
    final Forks forks = new Forks(this);
    final Walks walks = new Walks(this);

    /** Receives every reverse walk the kernel makes (the oracle). */
    public interface WalkObserver {
        void walked(WalkResult r);
    }

    public Machine(MachineConfig config, Ledgers ledgers, Function<DesignContext, RmapDesign> designFactory) {
        this(config, ledgers, designFactory, null);
    }

    /**
     * A machine whose design may ask for the workload's future forks
     * ({@link DesignContext#forkSchedule()}); {@code forks} is the runner's
     * first pass, or null when no design on this machine needs it.
     */
    public Machine(MachineConfig config, Ledgers ledgers, Function<DesignContext, RmapDesign> designFactory,
                   ForkSchedule forks) {
        this.config = config;
        this.ledgers = ledgers;
        this.design = designFactory.apply(new DesignContext(this, ledgers, config.sizes(), forks));
        // what the slab charges for the design's vm_area_struct: the growth may fit the padding (SlabCache.grown)
        this.vmaBytes = config.sizes().vmAreaStruct(design.vmaGrowthBytes());
        ledgers.objects.declare("vm_area_struct", design.vmaGrowthBytes());
    }

    // ------------------------------------------------------------------ read access

    public MachineConfig config() { return config; }
    public Ledgers ledgers() { return ledgers; }
    public RmapDesign design() { return design; }
    public Folios folios() { return folios; }
    public PageCache pageCache() { return pageCache; }
    /** Live tasks by name. */
    public Map<String, Task> tasks() { return Collections.unmodifiableMap(tasks); }
    public Task task(String name) { return tasks.get(name); }
    /** Every mm ever made, dead ones included. */
    public List<Mm> mms() { return Collections.unmodifiableList(mms); }
    /** The mm with this id (ids count from 1 in order of creation). */
    public Mm mm(int id) { return mms.get(id - 1); }
    public List<Process> processes() { return Collections.unmodifiableList(processes); }
    /** Errors the kernel returned, by "op ERRNO". */
    public Map<String, Long> errors() { return Collections.unmodifiableMap(errors); }
    /** Ops applied, by keyword. */
    public Map<String, Long> opCounts() { return Collections.unmodifiableMap(opCounts); }
    public long liveVmas() { return liveVmas; }
    /** Bytes of one vm_area_struct on this machine (the slab size plus what the design adds). */
    public long vmaBytes() { return vmaBytes; }
    /**
     * The number of the op being applied (1 for the first op of the workload),
     * or of the last one applied between ops: the clock of {@link ForkSchedule}.
     */
    public long opIndex() { return opIndex; }
    /** Page faults taken (accesses that needed the kernel). */
    public long faults() { return faults; }

    public void setObserver(WalkObserver o) { this.observer = o; }

    /**
     * Strict (the default, the runner's first pass): an mmap over a mapping is
     * a workload error. Not strict (a design's run): it fails with EEXIST, as
     * MAP_FIXED_NOREPLACE does — a design whose merge decisions leave another
     * layout than the first pass's can meet an overlap the file did not have.
     */
    public void setStrict(boolean s) { this.strict = s; }

    // ------------------------------------------------------------------ ops

    /** Runs one workload op. */
    public void apply(Op op) {
        opIndex++;
        Task t = op instanceof Op.Spawn ? null : liveTask(op.task());
        int pid = t == null ? 0 : t.process.pid;
        ledgers.ctx.set(op.keyword(), pid);
        opCounts.merge(op.keyword(), 1L, Long::sum);
        switch (op) {
            case Op.Spawn s -> forks.spawn(s.task());
            case Op.Fork f -> forks.fork(t, f.child());
            case Op.Thread th -> forks.thread(t, th.thread());
            case Op.Vfork v -> forks.vfork(t, v.child());
            case Op.Exec e -> forks.exec(t);
            case Op.Exit e -> forks.exit(t);
            case Op.NoFork n -> {
                t.process.nofork = true;
                design.noFork(t.process);
            }
            case Op.Mmap m -> mmaps.mmap(t.mm, m.addr(), m.len(), m.prot(), m.kind(), m.flags());
            case Op.Munmap m -> mmaps.munmapOp(t.mm, m.addr(), m.len());
            case Op.Mprotect m -> mmaps.mprotect(t.mm, m.addr(), m.addr() + m.len(), m.prot());
            case Op.Mremap m -> mremap.mremap(t.mm, m.addr(), m.len(), m.newAddr(), m.newLen());
            case Op.Madvise m -> mmaps.madvise(t.mm, m.addr(), m.addr() + m.len(), m.advice());
            case Op.Touch m -> faultPath.touch(t.mm, m.addr(), m.len(), m.write());
            case Op.Walk w -> walks.walkRange(t.mm, w.addr(), w.addr() + w.len(), w.kind());
            case Op.Migrate m -> walks.migrateRange(t.mm, m.addr(), m.addr() + m.len());
        }
    }

    private Task liveTask(String name) {
        Task t = tasks.get(name);
        if (t == null) throw new WorkloadError("task '" + name + "' does not exist");
        return t;
    }

    void error(String op, String errno) { errors.merge(op + " " + errno, 1L, Long::sum); }

    /** vm_area_alloc: a new VMA (not yet in its mm's tree), charged to the ledger. */
    Vma allocVma(Mm mm, long start, long end, long pgoff, int flags, String file) {
        int slot = freeSlots.isEmpty() ? nextSlot++ : freeSlots.popInt();
        Vma v = new Vma(nextVmaId++, slot, mm, start, end, pgoff, flags, file);
        ledgers.objects.alloc("vm_area_struct", vmaBytes);
        liveVmas++;
        return v;
    }

    /** vm_area_free: the VMA, already out of its mm's tree, is freed. */
    void freeVma(Vma v) {
        v.alive = false;
        ledgers.objects.free("vm_area_struct", vmaBytes);
        liveVmas--;
        freeSlots.add(v.slot);
    }

    /**
     * One reverse walk of a folio (see {@link Walks#walk}); hits go to
     * {@code found} as (mm id, vpage) pairs when it is not null.
     */
    public WalkResult walk(int folio, List<long[]> found) { return walks.walk(folio, found, WalkKind.RECLAIM); }

    // ------------------------------------------------------------------ whole-machine views

    /** Live anonymous folios (ids), ascending. */
    public int[] liveFolios() {
        int[] out = new int[(int) folios.liveCount()];
        int n = 0;
        for (int f = 1; f < folios.limit(); f++) if (folios.live(f)) out[n++] = f;
        return out;
    }

    /** Live mms (those with users). */
    public List<Mm> liveMms() {
        // the live mms of the last call that are still alive, then those made since: creation order, as in mms,
        // at a cost bounded by the live mms rather than by every mm the run ever made
        List<Mm> l = new ArrayList<>(liveMmsSeen.size() + mms.size() - mmsSeen);
        for (Mm m : liveMmsSeen) if (m.alive) l.add(m);
        for (int i = mmsSeen; i < mms.size(); i++) if (mms.get(i).alive) l.add(mms.get(i));
        mmsSeen = mms.size();
        liveMmsSeen = l;
        return new ArrayList<>(l);
    }

    private List<Mm> liveMmsSeen = List.of();
    private int mmsSeen;

    /** Live tasks, in name order. */
    public Collection<Task> liveTasks() { return new TreeMap<>(tasks).values(); }
}
