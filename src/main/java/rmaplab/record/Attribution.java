package rmaplab.record;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import rmaplab.workload.Op;

/**
 * Which workload op each kmem event of the recording is counted under in the truth (the rules are
 * in package-info, "Attribution of kmem events"). A kmem event waits in its task's queue until the
 * task's next other event, which settles the queue: by default to the op in progress, with the
 * exceptions below for fork, exec, exit, mremap and mmap written as munmap + mmap.
 */
final class Attribution {
    /** Anon_vma_chain call sites: everything else in that cache is another object sharing the slab cache. */
    static final Set<String> AVC_SITES = Set.of("__anon_vma_prepare", "anon_vma_clone", "anon_vma_fork",
            "unlink_anon_vmas", "anon_vma_chain_alloc", "anon_vma_chain_free");
    /** Sites of other objects known to share the anon_vma_chain cache on this kernel (recording.md). */
    static final Set<String> FOREIGN_SITES = Set.of("copy_fs_struct", "do_exit", "free_fs_struct", "exit_fs",
            "ep_ptable_queue_proc", "ep_remove", "eventpoll_release_file", "ep_free", "ep_unregister_pollwait",
            "ep_remove_wait_queue", "ep_insert", "do_epoll_ctl");
    /** dup_mmap's call sites (kernel/fork.c dup_mmap: vm_area_dup, anon_vma_fork, and anon_vma_clone inside it). */
    static final Set<String> DUP_SITES = Set.of("vm_area_dup", "anon_vma_fork", "anon_vma_clone");

    /** One kmem event (of line {@code line}) waiting for the op it belongs to; a forkMarker (copy_fs_struct) only marks a place. */
    record Kmem(String kind, boolean alloc, String site, String ptr, boolean forkMarker, long line) {}

    private final ImportContext ctx;
    private final ObjectLifetimes lifetimes;
    /**
     * VMAs of mappings made without a syscall of the event set (shmat), by the ptr= of their
     * vm_area_alloc: their vms_complete_munmap_vmas free is the only sign of the unmapping (shmdt).
     */
    private final Map<String, Layout.Range> hiddenMappings = new HashMap<>();
    /** The ptr= of the last vm_area_alloc per task, until its MMAP2 line. */
    private final Map<Integer, String> lastVmaAlloc = new HashMap<>();

    Attribution(ImportContext ctx) {
        this.ctx = ctx;
        this.lifetimes = new ObjectLifetimes(ctx);
    }

    /** How many VMAs t allocated (vm_area_alloc) since its queue was last settled. */
    static long vmasAllocated(TracedTask t) {
        return t.pending.stream().filter(k -> k.alloc && k.site.equals("vm_area_alloc")).count();
    }

    /** The recorded command's first address space: its stack's objects were made before the recording. */
    void commandStarted(Layout mm) { lifetimes.commandStarted(mm); }

    /** A fork: the child's address space holds chains to the parent's anon_vmas. */
    void forked(Layout parent, Layout child) { lifetimes.forked(parent, child, parent.any(Layout.DONTFORK)); }

    /** Address space mm went at an exit of its last user: its objects went without a line. */
    void addressSpaceExited(Layout mm) { lifetimes.exited(mm); }

    /** Address space mm went at an exec of its last user: its objects' frees came before the exec line. */
    void addressSpaceExeced(Layout mm) { lifetimes.execed(mm); }

    /** A kmem event of task t (null: a task not seen being created). */
    void kmem(TracedTask t, PerfEvent.Kmem e) throws IOException {
        String site = e.site(), cache = e.cache();
        boolean alloc = e.alloc();
        if (!Truth.KINDS.contains(cache)) {
            ctx.unrepresented("kmem events of cache " + cache + " (outside the filter)");
            return;
        }
        boolean foreign = cache.equals("anon_vma_chain") && !AVC_SITES.contains(site)
                && (FOREIGN_SITES.contains(site) || site.startsWith("ep_") || site.contains("eventpoll")
                        || site.contains("fs_struct"));
        lifetimes.event(t, e, foreign);
        if (foreign) {
            ctx.truth.exclude(site);
            if (t != null && site.equals("copy_fs_struct")) t.pending.add(new Kmem(cache, alloc, site, e.ptr(), true, ctx.line));
            return;
        }
        if (t == null) {
            ctx.truth.count(cache, alloc, Truth.UNATTRIBUTED, site);
            return;
        }
        if (cache.equals("vm_area_struct")) {
            String ptr = e.ptr();
            if (ptr != null && alloc) {
                hiddenMappings.remove(ptr); // the slab object was reused: whatever it was is gone
                if (site.equals("vm_area_alloc")) lastVmaAlloc.put(t.tid, ptr);
            } else if (ptr != null && site.equals("vms_complete_munmap_vmas")) {
                Layout.Range r = hiddenMappings.remove(ptr);
                if (r != null && t.mm.covered(r.start(), r.end())) {
                    unmapHidden(t, r);
                    return;
                }
            }
        }
        // A read fault that makes an anon_vma made a folio, not a zero-page mapping: with the zero
        // page, do_anonymous_page maps it without vmf_anon_prepare (mm/memory.c).
        if (alloc && t.readFault && cache.equals("anon_vma") && site.equals("__anon_vma_prepare")) ctx.truth.readFaultAnonVmas++;
        t.pending.add(new Kmem(cache, alloc, site, e.ptr(), false, ctx.line));
    }

    /**
     * A mapping made without a syscall of the event set (an MMAP2 line outside exec) at [s, e): its VMA
     * is the vm_area_alloc just before the line (do_shmat: do_mmap, __mmap_new_vma), remembered by ptr.
     */
    void madeWithoutSyscall(TracedTask t, long s, long e) {
        String ptr = lastVmaAlloc.get(t.tid);
        if (ptr != null && t.pending.stream().anyMatch(k -> k.alloc && k.site.equals("vm_area_alloc")))
            hiddenMappings.put(ptr, new Layout.Range(s, e, 0));
    }

    /**
     * The free of a VMA that a mapping made without a syscall of the event set created, while no
     * munmap of it was written: it was unmapped without a syscall of the event set either
     * (ksys_shmdt: do_vmi_munmap, whose vms_complete_munmap_vmas frees the VMA). Written as a munmap
     * of that mapping, and the free counted under it.
     */
    private void unmapHidden(TracedTask t, Layout.Range r) throws IOException {
        settle(t);
        ctx.emit(new Op.Munmap(t.name, r.start(), r.end() - r.start()));
        t.mm.remove(r.start(), r.end());
        ctx.truth.count("vm_area_struct", false, "munmap", "vms_complete_munmap_vmas");
        ctx.count("unmappings without a syscall of the event set (shmdt; written as munmap)");
    }

    /** Counts a kmem event under op in the truth; what it allocated belongs to address space owner. */
    private void account(Kmem k, String op, Layout owner) { account(k, op, owner, false); }

    /** As {@link #account(Kmem, String, Layout)}; {@code replacing}: the op is a MAP_FIXED mmap over mappings. */
    private void account(Kmem k, String op, Layout owner, boolean replacing) {
        if (!possible(k, op, replacing))
            ctx.truth.damage("kmem events the op before them does not make (" + k.kind + " " + (k.alloc ? "allocated" : "freed")
                    + " by " + k.site + " in " + op + "; the line of the call that made them missing?)", k.line);
        ctx.truth.count(k.kind, k.alloc, op, k.site);
        if (k.alloc) lifetimes.own(k.kind, k.ptr, owner);
    }

    /**
     * Whether the kernel makes this kmem event inside this op. A page fault makes only the anon_vma_chain
     * and anon_vma of __anon_vma_prepare (do_anonymous_page, do_cow_fault, wp_page_copy: vmf_anon_prepare),
     * and nothing else makes those; anon_vma_fork runs only in dup_mmap; a new VMA (vm_area_alloc) only in
     * a mapping; a copy (vm_area_dup) never in a fault or a new mapping (__split_vma, dup_mmap, copy_vma),
     * but in an mmap that replaces mappings (vms_gather_munmap_vmas splits at the edges of its range);
     * exit_mmap frees only at an exec or an exit. An event counted elsewhere lost the line of the call that
     * made it (or came from a call outside the event set that splits VMAs: mlock, pkey_mprotect).
     */
    private static boolean possible(Kmem k, String op, boolean replacing) {
        if (op.equals(Truth.UNATTRIBUTED) || op.equals(Truth.FAILED)) return true;
        if (op.equals("touch")) return k.alloc && k.site.equals("__anon_vma_prepare");
        if (!k.alloc) return !k.site.equals("exit_mmap") || op.equals("exec") || op.equals("exit");
        return switch (k.site) {
            case "__anon_vma_prepare" -> false;
            case "anon_vma_fork" -> op.equals("fork");
            case "vm_area_alloc" -> op.equals("mmap");
            case "vm_area_dup" -> !op.equals("mmap") || replacing;
            default -> true;
        };
    }

    /** Gives every pending kmem event of t to the op in progress. */
    void settle(TracedTask t) { settle(t, k -> !k.alloc && t.freeOp != null ? t.freeOp : t.cur); }

    void settle(TracedTask t, Function<Kmem, String> op) {
        for (Kmem k : t.pending) if (!k.forkMarker) account(k, op.apply(k), t.mm, t.replacing);
        t.pending.clear();
    }

    /**
     * Settles the events before index {@code from} to the op in progress, the rest to {@code op}, their
     * objects belonging to address space {@code mm}.
     */
    private void settleSplit(TracedTask t, int from, String op, Layout mm) {
        List<Kmem> all = List.copyOf(t.pending);
        t.pending.clear();
        for (int i = 0; i < all.size(); i++) {
            Kmem k = all.get(i);
            if (!k.forkMarker) account(k, i >= from ? op : t.cur, i >= from ? mm : t.mm);
        }
    }

    /**
     * Pending events when an op that the kernel did inside one syscall was
     * written as munmap then mmap (MAP_FIXED over a mapping, or the ELF
     * loader unmapping the rest of its reservation): the new VMA and the
     * merge frees go to mmap, the splitting and unmapping to munmap.
     */
    void settleMunmapMmap(TracedTask t, boolean munmapWritten, String mmapOp) {
        settleFaultHead(t);
        settle(t, k -> !munmapWritten || k.site.equals("vm_area_alloc") || k.site.equals("vma_complete")
                ? mmapOp : "munmap");
    }

    /**
     * After a fault, the anon_vma and anon_vma_chain that __anon_vma_prepare made for it come first
     * (do_anonymous_page, do_cow_fault); they belong to the touch even when the line that ends them
     * is a mapping the kernel made without a syscall (exec: a bss fault, then the next ELF segment).
     */
    private void settleFaultHead(TracedTask t) {
        if (!t.cur.equals("touch")) return;
        int n = 0;
        while (n < t.pending.size() && t.pending.get(n).alloc && t.pending.get(n).site.equals("__anon_vma_prepare")) n++;
        for (Kmem k : t.pending.subList(0, n)) account(k, "touch", t.mm);
        t.pending.subList(0, n).clear();
    }

    /**
     * A fork's events: dup_mmap (kernel/fork.c) runs in the parent before task_newtask, after copy_fs
     * (copy_fs_struct): the dup sites after the last copy_fs_struct marker belong to the fork, those
     * before it to the op before; without a marker, the trailing run of dup-site allocations. What
     * dup_mmap made belongs to the child's address space {@code child}.
     */
    void settleFork(TracedTask t, Layout child) {
        int marker = -1;
        for (int i = 0; i < t.pending.size(); i++) if (t.pending.get(i).forkMarker) marker = i;
        int from;
        if (marker >= 0) from = marker + 1;
        else {
            from = t.pending.size();
            while (from > 0 && DUP_SITES.contains(t.pending.get(from - 1).site) && t.pending.get(from - 1).alloc) from--;
        }
        settleSplit(t, from, "fork", child);
    }

    /**
     * An exec's events, which came before its COMM exec line (fs/exec.c: bprm_mm_init makes the new
     * stack VMA, copy_strings faults its pages in without a fault event, exec_mmap drops the old mm);
     * they start at the new stack's vm_area_alloc. The stack VMA and its anon_vma are written as the
     * mmap and the touch that follow, the rest (the old mm's teardown) belongs to exec; the events
     * before the stack's allocation go to the op before. The new stack belongs to the new address
     * space {@code fresh}.
     */
    void settleExec(TracedTask t, Layout fresh) {
        int start = -1;
        for (int i = 0; i < t.pending.size(); i++)
            if (t.pending.get(i).alloc && t.pending.get(i).site.equals("vm_area_alloc")) {
                start = i;
                break;
            }
        List<Kmem> before = start < 0 ? List.copyOf(t.pending) : List.copyOf(t.pending.subList(0, start));
        List<Kmem> after = start < 0 ? List.of() : List.copyOf(t.pending.subList(start, t.pending.size()));
        t.pending.clear();
        t.pending.addAll(before);
        settle(t);
        for (Kmem k : after) {
            if (k.forkMarker) continue;
            String op = k.alloc && k.site.equals("vm_area_alloc") ? "mmap"
                    : k.alloc && k.site.equals("__anon_vma_prepare") ? "touch" : "exec";
            account(k, op, op.equals("exec") ? t.mm : fresh);
        }
    }

    /**
     * A task's events at its exit: the frees from the first exit_mmap free on go to exit (when they
     * are recorded at all: recording.md, not on this kernel), the rest to the op in progress.
     */
    void settleExit(TracedTask t) {
        int start = -1;
        for (int i = 0; i < t.pending.size(); i++)
            if (!t.pending.get(i).alloc && t.pending.get(i).site.equals("exit_mmap")) {
                start = i;
                break;
            }
        int s = start < 0 ? t.pending.size() : start;
        if (s < t.pending.size()) ctx.truth.exitFreesRecorded = true;
        settleSplit(t, s, "exit", t.mm);
    }

    /**
     * An mremap onto other mappings, written as munmap then mremap: mremap_to (mm/mremap.c) unmaps
     * the target before moving, so its splits and frees come first, up to the first vm_area_dup after
     * a free (copy_vma's new VMA); from there on the events are the move's.
     */
    void settleMremapOnto(TracedTask t) {
        List<Kmem> all = List.copyOf(t.pending);
        t.pending.clear();
        boolean freed = false, moving = false;
        for (Kmem k : all) {
            if (k.forkMarker) continue;
            if (freed && k.alloc && k.site.equals("vm_area_dup")) moving = true;
            if (!k.alloc) freed = true;
            account(k, moving ? "mremap" : "munmap", t.mm);
        }
    }
}
