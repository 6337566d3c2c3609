package rmaplab.sim;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import rmaplab.ledger.Ledgers;
import rmaplab.rmap.AnonMerge;
import rmaplab.rmap.DesignContext;
import rmaplab.rmap.RmapDesign;
import rmaplab.rmap.WalkSink;
import rmaplab.workload.Advice;
import rmaplab.workload.MapFlag;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/**
 * The simulated kernel: tasks, mms, VMAs, page tables, anonymous folios,
 * page-cache pages and the zero page, with the semantics of Linux 6.18 for
 * every workload op. It knows nothing of any rmap design: it calls the one it
 * runs through {@link RmapDesign} at the points where Linux calls mm/rmap.c,
 * and asks it whether anonymous VMAs may merge.
 *
 * <p>Errors Linux returns at run time are counted in {@link #errors()}, not
 * thrown. Requests no program could make throw {@link WorkloadError}.
 *
 * <p>Rules not obvious from the op name cite the kernel function they follow;
 * docs/kernel/vma-rules.md has the longer account.
 */
public final class Machine {
    private final MachineConfig config;
    private final Ledgers ledgers;
    private final RmapDesign design;
    private final Folios folios = new Folios();
    private final PageCache pageCache = new PageCache();
    private final Map<String, Task> tasks = new HashMap<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Mm> mms = new ArrayList<>();
    private final Map<String, Long> errors = new TreeMap<>();
    private final Map<String, Long> opCounts = new TreeMap<>();
    private int nextPid = 1, nextMmId = 1, shmemCount;
    private long nextVmaId = 1, liveVmas, faults, opIndex;
    private WalkObserver observer;
    private boolean strict = true;

    /** Receives every reverse walk the kernel makes (the oracle). */
    public interface WalkObserver {
        void walked(WalkResult r);
    }

    public Machine(MachineConfig config, Ledgers ledgers, Function<DesignContext, RmapDesign> designFactory) {
        this(config, ledgers, designFactory, null);
    }

    /**
     * A machine whose design may ask for the workload's future forks
     * ({@link DesignContext#forkSchedule()}); {@code future} is asked at most
     * when the design does, and may be null.
     */
    public Machine(MachineConfig config, Ledgers ledgers, Function<DesignContext, RmapDesign> designFactory,
                   java.util.function.Supplier<rmaplab.rmap.ForkSchedule> future) {
        this.config = config;
        this.ledgers = ledgers;
        this.design = designFactory.apply(new DesignContext(this, ledgers, config.sizes(), future));
        ledgers.objects.declare("vm_area_struct");
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
    public List<Process> processes() { return Collections.unmodifiableList(processes); }
    /** Errors the kernel returned, by "op ERRNO". */
    public Map<String, Long> errors() { return Collections.unmodifiableMap(errors); }
    /** Ops applied, by keyword. */
    public Map<String, Long> opCounts() { return Collections.unmodifiableMap(opCounts); }
    public long liveVmas() { return liveVmas; }
    /**
     * The number of the op being applied (1 for the first op of the workload),
     * or of the last one applied between ops: the clock of {@link rmaplab.rmap.ForkSchedule}.
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
            case Op.Spawn s -> spawn(s.task());
            case Op.Fork f -> fork(t, f.child());
            case Op.Thread th -> thread(t, th.thread());
            case Op.Vfork v -> vfork(t, v.child());
            case Op.Exec e -> exec(t);
            case Op.Exit e -> exit(t);
            case Op.NoFork n -> {
                t.process.nofork = true;
                design.noFork(t.process);
            }
            case Op.Mmap m -> mmap(t.mm, m.addr(), m.len(), m.prot(), m.kind(), m.flags());
            case Op.Munmap m -> munmap(t.mm, m.addr(), m.addr() + m.len());
            case Op.Mprotect m -> mprotect(t.mm, m.addr(), m.addr() + m.len(), m.prot());
            case Op.Mremap m -> mremap(t.mm, m.addr(), m.len(), m.newAddr(), m.newLen());
            case Op.Madvise m -> madvise(t.mm, m.addr(), m.addr() + m.len(), m.advice());
            case Op.Touch m -> touch(t.mm, m.addr(), m.len(), m.write());
            case Op.Walk w -> walkRange(t.mm, w.addr(), w.addr() + w.len());
            case Op.Migrate m -> migrateRange(t.mm, m.addr(), m.addr() + m.len());
        }
    }

    private Task liveTask(String name) {
        Task t = tasks.get(name);
        if (t == null) throw new WorkloadError("task '" + name + "' does not exist");
        return t;
    }

    private void error(String op, String errno) { errors.merge(op + " " + errno, 1L, Long::sum); }

    // ------------------------------------------------------------------ tasks and mms

    private Mm newMm(Process owner) {
        Mm mm = new Mm(nextMmId++, owner.pid);
        mms.add(mm);
        design.mmCreated(mm);
        return mm;
    }

    private Task newTask(String name, Process p, Mm mm) {
        if (tasks.containsKey(name)) throw new WorkloadError("task '" + name + "' already exists");
        Task t = new Task(name, p, mm);
        p.threads.add(t);
        mm.users++;
        tasks.put(name, t);
        return t;
    }

    private Process newProcess(Process parent) {
        Process p = new Process(nextPid++, parent);
        processes.add(p);
        return p;
    }

    private void spawn(String name) {
        if (tasks.containsKey(name)) throw new WorkloadError("task '" + name + "' already exists");
        Process p = newProcess(null);
        ledgers.ctx.set("spawn", p.pid);
        newTask(name, p, newMm(p));
    }

    private void thread(Task t, String name) { newTask(name, t.process, t.mm); }

    private void vfork(Task t, String name) {
        if (t.process.nofork) throw new WorkloadError("'" + t.name + "' forks after nofork");
        t.process.forks++;
        newTask(name, newProcess(t.process), t.mm);
    }

    private void exec(Task t) {
        if (t.process.liveThreads() > 1)
            throw new WorkloadError("exec by '" + t.name + "' while its process has other live threads");
        Mm old = t.mm;
        t.mm = newMm(t.process);
        t.mm.users++;
        t.process.nofork = false; // a new program has made no promise
        mmput(old);
    }

    private void exit(Task t) {
        t.alive = false;
        tasks.remove(t.name);
        Mm mm = t.mm;
        mmput(mm);
    }

    /** mmput: the mm goes with its last user (exit_mmap). */
    private void mmput(Mm mm) {
        if (--mm.users > 0) return;
        exitMmap(mm);
    }

    /** exit_mmap: zap every PTE, then unlink and free every VMA in address order. */
    private void exitMmap(Mm mm) {
        List<Vma> all = new ArrayList<>(mm.vmas.values());
        for (Vma v : all) zap(v, v.start, v.end);
        for (Vma v : all) removeVma(v);
        mm.alive = false;
        design.mmDestroyed(mm);
    }

    // ------------------------------------------------------------------ fork

    /** dup_mmap (mm/mmap.c), VMA by VMA in address order. */
    private void fork(Task t, String childName) {
        if (t.process.nofork) throw new WorkloadError("'" + t.name + "' forks after nofork");
        if (tasks.containsKey(childName)) throw new WorkloadError("task '" + childName + "' already exists");
        t.process.forks++;
        Process cp = newProcess(t.process);
        Mm parent = t.mm;
        Mm child = newMm(cp);
        design.forkStart(parent, child);
        for (Vma v : parent.vmas.values()) {
            if ((v.flags & VmFlags.VM_DONTCOPY) != 0) continue;
            Vma c = allocVma(child, v.start, v.end, v.pgoff, v.flags, v.file);
            boolean wipe = (v.flags & VmFlags.VM_WIPEONFORK) != 0;
            c.anonPrepared = v.anonPrepared && !wipe;
            child.insert(c);
            design.forkVma(v, c);
            // vma_needs_copy(): PTEs are copied only where the parent VMA has an
            // anon_vma (a wiped or file-only VMA is faulted in again later).
            if (!wipe && v.anonPrepared) copyPageRange(v, c);
        }
        design.forkEnd(parent, child);
        newTask(childName, cp, child);
    }

    /** copy_page_range: share every page, write-protecting private anonymous ones (CoW). */
    private void copyPageRange(Vma src, Vma dst) {
        PageTable spt = src.mm.pt, dpt = dst.mm.pt;
        boolean cow = !src.shared();
        spt.forEachChunk(src.start, src.end, e -> {
            for (int i = 0; i < e.length; i += 2) {
                long vp = e[i], pte = e[i + 1];
                switch (Pte.type(pte)) {
                    case Pte.ANON -> {
                        int f = Pte.id(pte);
                        // folio_try_dup_anon_rmap_pte: the page is no longer exclusive
                        folios.exclusive(f, false);
                        folios.mapcount(f, folios.mapcount(f) + 1);
                        if (cow) {
                            pte = Pte.wrprotect(pte);
                            spt.set(vp, pte);
                        }
                        dpt.set(vp, pte);
                        design.pteMapped(f, dst, vp);
                    }
                    case Pte.FILE -> {
                        pageCache.map(Pte.id(pte));
                        if (cow) pte = Pte.wrprotect(pte);
                        dpt.set(vp, pte);
                    }
                    default -> dpt.set(vp, pte); // the zero page
                }
            }
        });
    }

    // ------------------------------------------------------------------ VMAs

    private Vma allocVma(Mm mm, long start, long end, long pgoff, int flags, String file) {
        Vma v = new Vma(nextVmaId++, mm, start, end, pgoff, flags, file);
        ledgers.objects.alloc("vm_area_struct", design.vmaBytes());
        liveVmas++;
        return v;
    }

    /** unlink_anon_vmas + remove_vma: the VMA leaves the mm and is freed. Its PTEs must be gone. */
    private void removeVma(Vma v) {
        v.mm.remove(v);
        design.vmaRemoved(v);
        v.alive = false;
        ledgers.objects.free("vm_area_struct", design.vmaBytes());
        liveVmas--;
    }

    /**
     * __split_vma: a dup of {@code v} takes [v.start, at) when newBelow, else
     * [at, v.end); v keeps the other part. Returns the dup.
     */
    private Vma split(Vma v, long at, boolean newBelow) {
        Mm mm = v.mm;
        Vma n;
        if (newBelow) {
            n = allocVma(mm, v.start, at, v.pgoff, v.flags, v.file);
            mm.remove(v);
            v.pgoff += at - v.start;
            v.start = at;
            mm.insert(v);
        } else {
            n = allocVma(mm, at, v.end, v.pgoff + (at - v.start), v.flags, v.file);
            v.end = at;
        }
        n.anonPrepared = v.anonPrepared;
        mm.insert(n);
        design.vmaSplit(v, n);
        return n;
    }

    private boolean overlaps(Mm mm, long start, long end) { return !mm.overlapping(start, end).isEmpty(); }

    /**
     * is_mergeable_vma (mm/vma.c): every flag equal but VM_IGNORE_MERGE (= VM_STICKY: VM_SOFTDIRTY,
     * off on this kernel, and VM_MAYBE_GUARD, which no op of the format sets), and the same file. So
     * VM_ACCOUNT, VM_NORESERVE, VM_HUGEPAGE and VM_NOHUGEPAGE all keep VMAs apart.
     */
    private static boolean sameBacking(Vma v, int flags, String file) {
        return v.flags == flags && java.util.Objects.equals(v.file, file);
    }

    /** A proposed range for vma_merge_new_range / vma_merge_existing_range (struct vma_merge_struct). */
    private static final class MergeState {
        Mm mm;
        long start, end, pgoff;
        int flags;
        String file;
        Vma prev, next, middle, copiedFrom, source;
        boolean justExpand;
    }

    /** can_vma_merge_after(): the range may join prev, prev ending where it starts. */
    private boolean canMergeLeft(MergeState s) {
        Vma p = s.prev;
        return p != null && p.end == s.start && sameBacking(p, s.flags, s.file)
                && p.pgoff + p.pages() == s.pgoff
                && design.isMergeableAnon(new AnonMerge(p, s.middle, s.source, s.copiedFrom, false));
    }

    /** can_vma_merge_right(): the range may join next; with a left merge too, prev and next must agree. */
    private boolean canMergeRight(MergeState s, boolean left) {
        Vma n = s.next;
        if (n == null || s.end != n.start || !sameBacking(n, s.flags, s.file)) return false;
        if (s.pgoff + (s.end - s.start) != n.pgoff) return false;
        if (!design.isMergeableAnon(new AnonMerge(n, s.middle, s.source, s.copiedFrom, true))) return false;
        return !left || design.isMergeableAnonBoth(s.prev, n);
    }

    /**
     * vma_merge_new_range (mm/vma.c): a new range [start, end) merges with an
     * adjacent prev and/or next. Returns the VMA that now covers it, or null.
     */
    private Vma mergeNewRange(MergeState s) {
        if (s.prev == null && s.next == null) return null;
        boolean left = canMergeLeft(s);
        boolean right = !s.justExpand && canMergeRight(s, left);
        if (!left && !right) return null;
        Vma target;
        long start = s.start, end = s.end, pgoff = s.pgoff;
        if (right) end = s.next.end;
        if (left) {
            target = s.prev;
            start = s.prev.start;
            pgoff = s.prev.pgoff;
        } else {
            target = s.next;
        }
        // vma_expand: target grows over [start, end), next goes when it is covered.
        // Both dups are tried (61f67c230a5e, in 6.18.8): with an unfaulted next
        // removed, the anon_vma must still come from the VMA mremap copies from.
        Vma remove = right && left ? s.next : null;
        if (remove != null) dupAnon(target, remove);
        if (s.copiedFrom != null) dupAnon(target, s.copiedFrom);
        if (remove != null) removeVma(remove); // its PTEs stay: the target covers its range now
        adjust(target, start, end, pgoff);
        return target;
    }

    /** dup_anon_vma: an unprepared target takes the source's anonymous state. */
    private void dupAnon(Vma dst, Vma src) {
        if (src != null && src.anonPrepared && !dst.anonPrepared) {
            design.vmaDupAnon(dst, src);
            dst.anonPrepared = true;
        }
    }

    private void adjust(Vma v, long start, long end, long pgoff) {
        long os = v.start, oe = v.end, op = v.pgoff;
        if (os == start && oe == end && op == pgoff) return;
        Mm mm = v.mm;
        mm.remove(v);
        v.start = start;
        v.end = end;
        v.pgoff = pgoff;
        mm.insert(v);
        design.vmaAdjusted(v, os, oe, op);
    }

    /**
     * vma_modify (mm/vma.c): give [start, end) of middle new flags. First try
     * vma_merge_existing_range; otherwise split off the parts before start and
     * after end, and change middle. Returns the VMA that now holds the range.
     */
    private Vma modify(Vma prevOfRange, Vma middle, long start, long end, int newFlags) {
        Vma merged = mergeExistingRange(prevOfRange, middle, start, end, newFlags);
        if (merged != null) return merged;
        if (middle.start < start) split(middle, start, true);
        if (middle.end > end) split(middle, end, false);
        middle.flags = newFlags;
        return middle;
    }

    /** vma_merge_existing_range (mm/vma.c). */
    private Vma mergeExistingRange(Vma prev, Vma middle, long start, long end, int newFlags) {
        boolean leftSide = start == middle.start, rightSide = end == middle.end;
        if (!leftSide && !rightSide) return null;
        Mm mm = middle.mm;
        MergeState s = new MergeState();
        s.mm = mm;
        s.start = start;
        s.end = end;
        s.pgoff = middle.pgoff + (start - middle.start);
        s.flags = newFlags;
        s.file = middle.file;
        s.middle = middle;
        s.source = middle;
        s.prev = leftSide ? mm.prev(middle) : prev;
        s.next = rightSide ? mm.next(middle) : null;
        boolean left = leftSide && canMergeLeft(s);
        boolean right = rightSide && canMergeRight(s, left);
        if (!left && !right) return null;
        boolean both = left && right;
        boolean removeMiddle = leftSide && rightSide;
        Vma next = s.next;
        if (both) {
            // prev ← middle ← next: prev grows over all; middle and next go.
            dupAnon(prev = s.prev, next.anonPrepared ? next : middle);
            removeVma(middle);
            removeVma(next);
            adjust(prev, prev.start, next.end, prev.pgoff);
            return prev;
        } else if (left) {
            prev = s.prev;
            dupAnon(prev, middle);
            if (removeMiddle) {
                removeVma(middle);
            } else {
                // __adjust_middle_start: middle loses [start, end) to prev
                adjust(middle, end, middle.end, middle.pgoff + (end - middle.start));
            }
            adjust(prev, prev.start, end, prev.pgoff);
            return prev;
        } else {
            dupAnon(next, middle);
            long pglen = end - start;
            if (removeMiddle) {
                removeVma(middle);
            } else {
                // __adjust_next_start: middle shrinks to [middle.start, start)
                adjust(middle, middle.start, start, middle.pgoff);
            }
            adjust(next, start, next.end, next.pgoff - pglen);
            return next;
        }
    }

    // ------------------------------------------------------------------ mmap, munmap

    private void mmap(Mm mm, long addr, long len, Prot prot, MapKind kind, java.util.Set<MapFlag> mapFlags) {
        long end = addr + len;
        if (overlaps(mm, addr, end) && !strict) {
            error("mmap", "EEXIST");
            return;
        }
        if (overlaps(mm, addr, end))
            throw new WorkloadError("mmap [0x" + Long.toHexString(addr) + ",0x" + Long.toHexString(end)
                    + ") overlaps an existing mapping (MAP_FIXED_NOREPLACE would fail with EEXIST)");
        int flags = VmFlags.of(prot);
        String file;
        long pgoff;
        switch (kind.type()) {
            case ANON, STACK -> {
                file = null;
                pgoff = addr; // do_mmap: private anonymous pgoff = addr >> PAGE_SHIFT
            }
            case SHARED -> {
                file = "shmem#" + (++shmemCount); // shmem_zero_setup: a file of its own
                pgoff = 0;
            }
            default -> {
                file = kind.file();
                pgoff = kind.pgoff();
            }
        }
        if (kind.isShared()) flags |= VmFlags.VM_SHARED;
        // calc_vm_flag_bits (include/linux/mman.h): MAP_GROWSDOWN -> VM_GROWSDOWN; MAP_STACK ->
        // VM_NOHUGEPAGE on kernels built with transparent huge pages (6.7 and later; the live one is)
        if (kind.type() == MapKind.Type.STACK) flags |= VmFlags.VM_GROWSDOWN;
        if (mapFlags.contains(MapFlag.STACK)) flags |= VmFlags.VM_NOHUGEPAGE;
        // do_mmap: MAP_NORESERVE -> VM_NORESERVE unless vm.overcommit_memory is 2 (it is 0 here)
        if (mapFlags.contains(MapFlag.NORESERVE)) flags |= VmFlags.VM_NORESERVE;
        // accountable_mapping() (mm/mmap.c): only writable, private, reserving mappings are charged
        if ((flags & (VmFlags.VM_NORESERVE | VmFlags.VM_SHARED | VmFlags.VM_WRITE)) == VmFlags.VM_WRITE)
            flags |= VmFlags.VM_ACCOUNT;
        MergeState s = new MergeState();
        s.mm = mm;
        s.start = addr;
        s.end = end;
        s.pgoff = pgoff;
        s.flags = flags;
        s.file = file;
        s.prev = mm.before(addr);
        s.next = mm.findVma(addr);
        // a shared anonymous mapping gets a shmem file of its own: it never merges
        if (kind.type() != MapKind.Type.SHARED && mergeNewRange(s) != null) return;
        Vma v = allocVma(mm, addr, end, pgoff, flags, file);
        mm.insert(v);
        design.vmaCreated(v);
    }

    /** do_vmi_munmap: split at the edges, zap, unlink and free what lies inside. */
    private void munmap(Mm mm, long start, long end) {
        List<Vma> in = mm.overlapping(start, end);
        if (in.isEmpty()) return;
        Vma first = in.get(0);
        if (first.start < start) split(first, start, true); // first now starts at start
        Vma last = in.get(in.size() - 1);
        if (last.end > end) split(last, end, false);
        List<Vma> gone = mm.overlapping(start, end);
        for (Vma v : gone) zap(v, v.start, v.end);
        for (Vma v : gone) removeVma(v);
    }

    /** zap_page_range: drop every PTE in [start, end) of v; folios whose last mapping goes are freed. */
    private void zap(Vma v, long start, long end) {
        PageTable pt = v.mm.pt;
        pt.forEachChunk(start, end, e -> {
            for (int i = 0; i < e.length; i += 2) {
                pt.set(e[i], 0);
                dropPte(v, e[i], e[i + 1]);
            }
        });
    }

    private void dropPte(Vma v, long vp, long pte) {
        switch (Pte.type(pte)) {
            case Pte.ANON -> {
                int f = Pte.id(pte);
                folios.mapcount(f, folios.mapcount(f) - 1);
                design.pteUnmapped(f, v, vp);
                if (folios.mapcount(f) == 0) {
                    design.folioFreed(f);
                    folios.release(f);
                }
            }
            case Pte.FILE -> pageCache.unmap(Pte.id(pte));
            default -> { }
        }
    }

    // ------------------------------------------------------------------ mprotect, madvise

    /**
     * do_mprotect_pkey: start must lie in a VMA (else ENOMEM with nothing
     * changed); VMAs are changed in order until a hole, which ends the call
     * with ENOMEM after the earlier ones were changed.
     */
    private void mprotect(Mm mm, long start, long end, Prot prot) {
        Vma vma = mm.find(start);
        if (vma == null) {
            error("mprotect", "ENOMEM");
            return;
        }
        Vma prev = vma.start < start ? vma : mm.prev(vma);
        long nstart = start;
        while (true) {
            long tmp = Math.min(vma.end, end);
            int newFlags = (vma.flags & ~VmFlags.VM_ACCESS_FLAGS) | VmFlags.of(prot);
            // mprotect_fixup (mm/mprotect.c): making a private mapping writable charges it (VM_ACCOUNT)
            // unless it is charged already, writable already or VM_NORESERVE (never charged: k41);
            // making an anonymous VMA that has no anon_vma yet unwritable un-charges it (checked on the
            // live kernel: examples/kernel/k08, the unfaulted half loses "ac" in smaps and then cannot merge)
            int old = vma.flags;
            if (prot.write) {
                if ((old & (VmFlags.VM_ACCOUNT | VmFlags.VM_WRITE | VmFlags.VM_SHARED | VmFlags.VM_NORESERVE)) == 0)
                    newFlags |= VmFlags.VM_ACCOUNT;
            } else if ((old & VmFlags.VM_ACCOUNT) != 0 && vma.anonymous() && !vma.anonPrepared) {
                newFlags &= ~VmFlags.VM_ACCOUNT;
            }
            Vma changed = vma;
            if (newFlags != vma.flags) {
                changed = modify(prev, vma, nstart, tmp, newFlags);
                if (!prot.write) wrprotect(changed, nstart, tmp);
            }
            prev = changed;
            nstart = tmp;
            if (nstart >= end) return;
            Vma next = mm.findVma(nstart);
            if (next == null || next.start != nstart) {
                error("mprotect", "ENOMEM");
                return;
            }
            vma = next;
        }
    }

    private void wrprotect(Vma v, long start, long end) {
        PageTable pt = v.mm.pt;
        pt.forEachChunk(start, end, e -> {
            for (int i = 0; i < e.length; i += 2) if (Pte.writable(e[i + 1])) pt.set(e[i], Pte.wrprotect(e[i + 1]));
        });
    }

    /**
     * madvise_walk_vmas: the advice is applied to every mapped part of the
     * range; holes make the call return ENOMEM at the end. A per-VMA error
     * (EINVAL for wipeonfork on a non-anonymous mapping) stops the walk.
     */
    private void madvise(Mm mm, long start, long end, Advice advice) {
        boolean hole = false;
        long pos = start;
        Vma prev = null;
        while (pos < end) {
            Vma vma = mm.findVma(pos);
            if (vma == null || vma.start >= end) {
                hole = true;
                break;
            }
            if (vma.start > pos) {
                hole = true;
                pos = vma.start;
            }
            long tmp = Math.min(vma.end, end);
            if (prev == null) prev = vma.start < pos ? vma : mm.prev(vma);
            Vma done = vma;
            switch (advice) {
                case DONTNEED -> zap(vma, pos, tmp);
                case WIPEONFORK -> {
                    if (vma.file != null || vma.shared()) {
                        error("madvise", "EINVAL");
                        return;
                    }
                    done = setFlags(prev, vma, pos, tmp, vma.flags | VmFlags.VM_WIPEONFORK);
                }
                case KEEPONFORK -> done = setFlags(prev, vma, pos, tmp, vma.flags & ~VmFlags.VM_WIPEONFORK);
                case DONTFORK -> done = setFlags(prev, vma, pos, tmp, vma.flags | VmFlags.VM_DONTCOPY);
                case DOFORK -> done = setFlags(prev, vma, pos, tmp, vma.flags & ~VmFlags.VM_DONTCOPY);
                // hugepage_madvise (mm/khugepaged.c): each advice sets its flag and clears the other, then
                // madvise_update_vma splits or merges like any flag change. Only the flag is modelled: no
                // huge folio is ever allocated (the probe runs with PR_SET_THP_DISABLE)
                case HUGEPAGE -> done = setFlags(prev, vma, pos, tmp,
                        (vma.flags & ~VmFlags.VM_NOHUGEPAGE) | VmFlags.VM_HUGEPAGE);
                case NOHUGEPAGE -> done = setFlags(prev, vma, pos, tmp,
                        (vma.flags & ~VmFlags.VM_HUGEPAGE) | VmFlags.VM_NOHUGEPAGE);
            }
            prev = done;
            pos = tmp;
        }
        if (hole) error("madvise", "ENOMEM");
    }

    private Vma setFlags(Vma prev, Vma vma, long start, long end, int flags) {
        return flags == vma.flags ? vma : modify(prev, vma, start, end, flags);
    }

    // ------------------------------------------------------------------ mremap

    /**
     * mremap(2) (mm/mremap.c). In place (newAddr == addr): shrink unmaps the
     * tail; growth expands the VMA when the pages after it are free
     * (vma_merge_extend), else ENOMEM. A move (MREMAP_MAYMOVE|MREMAP_FIXED)
     * unmaps the destination, copies the VMA (copy_vma), moves the PTEs
     * (move_page_tables, folio->index unchanged) and unmaps the source.
     * check_prep_vma comes first: without a VMA at addr, or (for a move or a
     * growth) with a range that crosses that VMA's end, the call fails with
     * EFAULT before anything is unmapped. A move that keeps the size may
     * span several VMAs: each is moved in turn, gaps kept (remap_move).
     */
    private void mremap(Mm mm, long addr, long oldLen, long newAddr, long newLen) {
        if (newAddr == addr) {
            if (newLen <= oldLen) {
                // check_prep_vma: a shrink too needs a VMA at addr (its tail may then span others)
                if (mm.find(addr) == null) error("mremap", "EFAULT");
                else if (newLen < oldLen) munmap(mm, addr + newLen, addr + oldLen);
                return;
            }
            Vma vma = mm.find(addr);
            if (vma == null || oldLen > vma.end - addr) {
                error("mremap", "EFAULT");
                return;
            }
            if (addr + oldLen != vma.end) { // only a VMA's tail can grow in place
                error("mremap", "ENOMEM");
                return;
            }
            long newEnd = addr + newLen;
            if (overlaps(mm, vma.end, newEnd)) {
                error("mremap", "ENOMEM");
                return;
            }
            // vma_merge_extend: the extension is a new range merged into vma (its prev),
            // and into the next VMA too when it now touches it and may merge
            MergeState s = new MergeState();
            s.mm = mm;
            s.start = vma.end;
            s.end = newEnd;
            s.pgoff = vma.pgoff + vma.pages();
            s.flags = vma.flags;
            s.file = vma.file;
            s.prev = vma;
            s.next = mm.next(vma);
            s.source = vma; // VMG_VMA_STATE: vmg->anon_vma = vma->anon_vma, middle NULL
            if (mergeNewRange(s) == null) error("mremap", "ENOMEM");
            return;
        }
        // a move: the two ranges may not overlap
        if (newAddr < addr + oldLen && addr < newAddr + newLen) {
            error("mremap", "EINVAL");
            return;
        }
        // check_prep_vma (mm/mremap.c): the source is checked before anything is unmapped
        Vma src = mm.find(addr);
        if (src == null) {
            error("mremap", "EFAULT");
            return;
        }
        if (oldLen == newLen) {
            remapMove(mm, addr, oldLen, newAddr);
            return;
        }
        if (oldLen > src.end - addr) { // "We can't remap across vm area boundaries"
            error("mremap", "EFAULT");
            return;
        }
        munmap(mm, newAddr, newAddr + newLen);
        if (oldLen > newLen) {
            munmap(mm, addr + newLen, addr + oldLen);
            oldLen = newLen;
        }
        Vma vma = mm.find(addr);
        if (vma == null || oldLen > vma.end - addr) {
            error("mremap", "EFAULT");
            return;
        }
        moveVma(vma, addr, oldLen, newAddr, newLen);
    }

    /**
     * remap_move (mm/mremap.c, since 6.17: "mm/mremap: permit mremap() move
     * of multiple VMAs"): a move that keeps the size moves every VMA in
     * [addr, addr + len), each by mremap_to (unmap its destination, then
     * move_vma), to the same offset from newAddr, so the gaps between them
     * are kept; the destination's parts facing gaps are left as they are.
     * The range must start in a VMA (checked by the caller). Every kind of
     * VMA the model has may be moved this way (vma_multi_allowed: no
     * userfaultfd, and anonymous, shmem or regular-file mappings).
     */
    private void remapMove(Mm mm, long addr, long len, long newAddr) {
        long end = addr + len, pos = addr;
        while (pos < end) {
            Vma v = mm.findVma(pos);
            if (v == null || v.start >= end) break;
            long from = Math.max(v.start, pos), to = Math.min(v.end, end), dst = newAddr + (from - addr);
            munmap(mm, dst, dst + (to - from));
            moveVma(mm.find(from), from, to - from, dst, to - from);
            pos = to;
        }
    }

    /** move_vma: copy_vma + move_page_tables + unmap of the source range. */
    private void moveVma(Vma vma, long addr, long oldLen, long newAddr, long newLen) {
        Mm mm = vma.mm;
        // copy_vma: a faulted VMA keeps its pgoff; an unfaulted anonymous one is re-based at the new address
        long pgoff = vma.pgoff + (addr - vma.start);
        if (vma.anonymous() && !vma.anonPrepared) pgoff = newAddr;
        MergeState s = new MergeState();
        s.mm = mm;
        s.start = newAddr;
        s.end = newAddr + newLen;
        s.pgoff = pgoff;
        s.flags = vma.flags;
        s.file = vma.file;
        s.prev = mm.before(newAddr);
        s.next = mm.findVma(newAddr);
        s.copiedFrom = vma;
        s.source = vma;
        Vma dst = mergeNewRange(s);
        if (dst == null) {
            dst = allocVma(mm, newAddr, newAddr + newLen, pgoff, vma.flags, vma.file);
            dst.anonPrepared = vma.anonPrepared;
            mm.insert(dst);
            design.vmaCopied(vma, dst);
        }
        // move_page_tables: the PTEs move; the folios keep their mapping and index
        PageTable pt = mm.pt;
        long[] e = pt.snapshot(addr, addr + oldLen);
        long delta = newAddr - addr;
        for (int i = 0; i < e.length; i += 2) {
            long vp = e[i], pte = e[i + 1];
            pt.set(vp, 0);
            if (Pte.isAnon(pte)) design.pteUnmapped(Pte.id(pte), vma, vp);
        }
        for (int i = 0; i < e.length; i += 2) {
            long vp = e[i] + delta, pte = e[i + 1];
            pt.set(vp, pte);
            if (Pte.isAnon(pte)) design.pteMapped(Pte.id(pte), dst, vp);
        }
        munmap(mm, addr, addr + oldLen);
    }

    // ------------------------------------------------------------------ faults

    private void touch(Mm mm, long addr, long len, boolean write) {
        for (long vp = addr; vp < addr + len; vp++) access(mm, vp, write);
    }

    /** One user access: a fault when the PTE does not allow it (handle_mm_fault). */
    private void access(Mm mm, long vp, boolean write) {
        String op = "touch";
        Vma vma = mm.find(vp);
        if (vma == null) {
            vma = expandStack(mm, vp);
            if (vma == null) {
                error(op, "SIGSEGV");
                return;
            }
        }
        // access_error (arch/x86/mm/fault.c): a write needs VM_WRITE; a read, any of VM_READ, VM_WRITE, VM_EXEC
        // (vma_is_accessible), as x86 cannot map a page writable or executable but not readable
        if (write ? (vma.flags & VmFlags.VM_WRITE) == 0 : (vma.flags & VmFlags.VM_ACCESS_FLAGS) == 0) {
            error(op, "SIGSEGV");
            return;
        }
        PageTable pt = mm.pt;
        long pte = pt.get(vp);
        if (pte != 0 && (!write || Pte.writable(pte))) return; // no fault
        faults++;
        if (pte == 0) {
            if (vma.shared()) { // do_shared_fault / do_read_fault on shmem or a shared file
                int page = pageCache.page(vma.file, vma.linearPageIndex(vp));
                pageCache.map(page);
                pt.set(vp, Pte.file(page, write));
            } else if (vma.file != null) {
                if (write) newAnon(vma, vp); // do_cow_fault
                else { // do_read_fault
                    int page = pageCache.page(vma.file, vma.linearPageIndex(vp));
                    pageCache.map(page);
                    pt.set(vp, Pte.file(page, false));
                }
            } else if (!write && config.zeroPage()) {
                pt.set(vp, Pte.ZERO_PAGE); // do_anonymous_page: the zero page
            } else {
                newAnon(vma, vp); // do_anonymous_page: a new exclusive folio
            }
            return;
        }
        // a write to a present, write-protected PTE: do_wp_page
        if (vma.shared()) {
            pt.set(vp, Pte.mkwrite(pte)); // wp_page_shared
            return;
        }
        switch (Pte.type(pte)) {
            case Pte.ZERO -> {
                pt.set(vp, 0);
                newAnon(vma, vp);
            }
            case Pte.FILE -> { // CoW of a private file page
                pt.set(vp, 0);
                pageCache.unmap(Pte.id(pte));
                newAnon(vma, vp);
            }
            default -> {
                int f = Pte.id(pte);
                if (folios.exclusive(f)) {
                    pt.set(vp, Pte.mkwrite(pte)); // PageAnonExclusive: reuse at once
                } else if (folios.mapcount(f) == 1) {
                    // wp_can_reuse_anon_folio: a small folio with no other reference is reused
                    // and moved to this VMA's anon_vma (folio_move_anon_rmap)
                    design.reuseAnonFolio(f, vma, vp);
                    folios.exclusive(f, true);
                    pt.set(vp, Pte.mkwrite(pte));
                } else { // wp_page_copy
                    pt.set(vp, 0);
                    folios.mapcount(f, folios.mapcount(f) - 1);
                    design.pteUnmapped(f, vma, vp);
                    newAnon(vma, vp);
                }
            }
        }
    }

    /** vmf_anon_prepare + folio_add_new_anon_rmap (RMAP_EXCLUSIVE) + set_pte. */
    private void newAnon(Vma vma, long vp) {
        prepare(vma);
        int f = folios.alloc();
        folios.mapcount(f, 1);
        folios.exclusive(f, true);
        design.newAnonFolio(f, vma, vp, true);
        boolean writable = (vma.flags & VmFlags.VM_WRITE) != 0;
        vma.mm.pt.set(vp, Pte.anon(f, writable));
        design.pteMapped(f, vma, vp);
    }

    /** anon_vma_prepare. */
    private void prepare(Vma vma) {
        if (vma.anonPrepared) return;
        design.anonPrepare(vma);
        vma.anonPrepared = true;
    }

    /**
     * expand_downwards for a fault below a VM_GROWSDOWN VMA (lock_mm_and_find_vma):
     * refused within stack_guard_gap of the VMA below or past RLIMIT_STACK.
     */
    private Vma expandStack(Mm mm, long vp) {
        Vma v = mm.findVma(vp);
        if (v == null || (v.flags & VmFlags.VM_GROWSDOWN) == 0) return null;
        Vma below = mm.before(v.start);
        if (below != null && (below.flags & VmFlags.VM_GROWSDOWN) == 0
                && (below.flags & VmFlags.VM_ACCESS_FLAGS) != 0 && vp - below.end < config.stackGuardGap())
            return null; // vma_is_accessible(prev) within stack_guard_gap
        if (v.end - vp > config.stackLimit()) return null;
        prepare(v);
        adjust(v, vp, v.end, v.pgoff - (v.start - vp));
        return v;
    }

    // ------------------------------------------------------------------ walks and migration

    private void walkRange(Mm mm, long start, long end) {
        long[] e = mm.pt.snapshot(start, end);
        for (int i = 0; i < e.length; i += 2) if (Pte.isAnon(e[i + 1])) walk(Pte.id(e[i + 1]), null);
    }

    /**
     * One reverse walk of a folio: the design reports where it looks; the page
     * tables say which of those places really map the folio. The walk stops
     * once every mapping was found, as folio_referenced and try_to_unmap do.
     * Hits go to {@code found} as (mm id, vpage) pairs when it is not null.
     */
    public WalkResult walk(int folio, List<long[]> found) {
        final int mapcount = folios.mapcount(folio);
        final LongOpenHashSet seen = new LongOpenHashSet();
        final int[] counts = new int[3]; // visits, hits, phantoms
        final long[] steps = {0};
        final String[] firstPhantom = {null};
        final Map<Integer, Mm> mmById = found == null ? null : new HashMap<>();
        WalkSink sink = new WalkSink() {
            @Override public boolean visit(Vma vma, long vpage) {
                counts[0]++;
                if (!vma.alive || vpage < vma.start || vpage >= vma.end) {
                    counts[2]++;
                    if (firstPhantom[0] == null)
                        firstPhantom[0] = (vma.alive ? "page 0x" + Long.toHexString(vpage) + " outside " : "freed ") + vma;
                    return counts[1] < mapcount;
                }
                long pte = vma.mm.pt.get(vpage);
                if (Pte.isAnon(pte) && Pte.id(pte) == folio && seen.add(((long) vma.mm.id << 40) | vpage)) {
                    counts[1]++;
                    if (found != null) found.add(new long[] {vma.mm.id, vpage});
                }
                return counts[1] < mapcount;
            }

            @Override public void steps(long n) { steps[0] += n; }
        };
        design.walk(folio, sink);
        WalkResult r = new WalkResult(folio, mapcount, counts[0], counts[1], steps[0], counts[2], firstPhantom[0]);
        if (!ledgers.muted()) ledgers.walks.record(r.visits(), r.hits(), r.steps(), r.missed(), r.phantoms());
        if (observer != null) observer.walked(r);
        return r;
    }

    /**
     * migrate_pages for each anonymous folio mapped in the range: walk, then
     * move every mapping the walk found to a new folio. Mappings the walk
     * missed keep the old folio (a stale PTE: the oracle reports the miss).
     */
    private void migrateRange(Mm mm, long start, long end) {
        long[] e = mm.pt.snapshot(start, end);
        for (int i = 0; i < e.length; i += 2) {
            long pte = e[i + 1];
            if (!Pte.isAnon(pte)) continue;
            int old = Pte.id(pte);
            if (!folios.live(old) || mm.pt.get(e[i]) != pte) continue;
            List<long[]> found = new ArrayList<>();
            walk(old, found);
            if (found.isEmpty()) continue;
            int nf = folios.alloc();
            folios.exclusive(nf, folios.exclusive(old));
            design.folioMigrated(old, nf);
            for (long[] hit : found) {
                Mm m = mms.get((int) hit[0] - 1);
                long vp = hit[1];
                long p = m.pt.get(vp);
                Vma v = m.find(vp);
                m.pt.set(vp, Pte.anon(nf, Pte.writable(p)));
                folios.mapcount(old, folios.mapcount(old) - 1);
                folios.mapcount(nf, folios.mapcount(nf) + 1);
                design.pteUnmapped(old, v, vp);
                design.pteMapped(nf, v, vp);
            }
            if (folios.mapcount(old) == 0) {
                design.folioFreed(old);
                folios.release(old);
            }
        }
    }

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
        List<Mm> l = new ArrayList<>();
        for (Mm m : mms) if (m.alive) l.add(m);
        return l;
    }

    /** Live tasks, in name order. */
    public Collection<Task> liveTasks() { return new TreeMap<>(tasks).values(); }
}
