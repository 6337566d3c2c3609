package rmaplab.record;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;
import rmaplab.workload.WorkloadException;

/**
 * The tasks of a recording and their address spaces as the trace shows them: clones (fork, vfork,
 * thread), execs, exits, the mappings the kernel makes without a syscall (exec's stack and ELF
 * segments, shmat), and page faults, written as workload ops as they come.
 */
final class TaskTracker {
    static final int CLONE_VM = 0x100, CLONE_VFORK = 0x4000, CLONE_THREAD = 0x10000;
    /** Ops whose MMAP2 lines only restate pieces of known mappings. */
    static final Set<String> CONSEQUENCES = Set.of("mprotect", "madvise", "mremap", "munmap");

    /** A PERF_RECORD_FORK seen in the parent, waiting for its task_newtask. */
    record ForkRecord(long line, int childPid, int childTid) {}

    /** An MMAP2 line's mapping in pages: [s, e), its protection and what it maps. */
    record Mapping(long s, long e, Prot prot, boolean shared, String path, String dev, long pgoffBytes) {}

    private final ImportContext ctx;
    private final Attribution attribution;
    /** Write a walk of every mapped range of an address space just before its last user exits or execs. */
    private final boolean walks;
    private final Map<Integer, TracedTask> tasks = new HashMap<>(); // live tasks by tid
    private final Map<String, Integer> names = new HashMap<>(); // incarnations of a name
    /** Per-mm extra state kept beside the layout: the exec stack's top, until its first fault. */
    private final Map<Layout, Long> execStackTop = new HashMap<>();
    private boolean anyTask;
    /** The recorded command: the pid of the first exec, and its line. */
    private int commandPid;
    private long commandLine;

    TaskTracker(ImportContext ctx, Attribution attribution, boolean walks) {
        this.ctx = ctx;
        this.attribution = attribution;
        this.walks = walks;
    }

    /** The live task with this tid, or null. */
    TracedTask get(int tid) { return tasks.get(tid); }

    Collection<TracedTask> live() { return tasks.values(); }

    /** Whether the recorded command's exec has been seen: before it, events of unknown tasks are perf's own. */
    boolean anyTask() { return anyTask; }

    int commandPid() { return commandPid; }

    long commandLine() { return commandLine; }

    private String newName(int pid, int tid) {
        String base = (pid == tid ? "p" : "t") + tid;
        int n = names.merge(base, 1, Integer::sum);
        return n == 1 ? base : base + "_" + n;
    }

    /**
     * A fault or a syscall of t, which ends its exec phase unless it is a kernel fault: in that phase a
     * VMA allocated since the last MMAP2 line got none (load_elf_binary and the vdso announce each one
     * they map before anything else happens).
     */
    void execStep(TracedTask t, boolean ends) {
        if (t.execPhase && Attribution.vmasAllocated(t) > 0)
            ctx.damage("VMAs allocated at an exec with no MMAP2 line after them (missing)");
        if (ends) t.execPhase = false;
    }

    /** The common prologue of an event of task t: a FORK record that got no task_newtask is written now. */
    void before(TracedTask t) throws IOException {
        if (t.fork != null) {
            ForkRecord f = t.fork;
            t.fork = null;
            ctx.damage("clones without their task:task_newtask line (kind guessed from the pids)");
            clone(t, f.childPid, f.childTid, f.childPid == t.pid ? CLONE_VM | CLONE_THREAD : 0);
        }
    }

    // ------------------------------------------------------------------ lifetimes

    void exec(int pid, int tid) throws IOException {
        TracedTask t = tasks.get(tid);
        if (t == null) t = heir(pid, tid);
        if (t == null) {
            if (anyTask) ctx.damage("processes not seen being created (written as spawn; their clone lines missing?)");
            anyTask = true;
            t = new TracedTask(pid, tid, newName(pid, tid), new Layout());
            tasks.put(tid, t);
            if (commandPid == 0) {
                commandPid = pid;
                commandLine = ctx.line;
                attribution.commandStarted(t.mm);
            }
            ctx.emit(new Op.Spawn(t.name));
            t.execPhase = true;
            t.begin("exec");
            return;
        }
        before(t);
        Layout fresh = new Layout();
        attribution.settleExec(t, fresh);
        // Linux ends the other threads first (de_thread)
        for (TracedTask o : new ArrayList<>(tasks.values()))
            if (o != t && o.pid == t.pid) {
                attribution.settle(o);
                ctx.emit(new Op.Exit(o.name));
                tasks.remove(o.tid);
                ctx.count("threads ended by another thread's exec");
            }
        walkBeforeLeaving(t);
        ctx.emit(new Op.Exec(t.name));
        if (lastUser(t)) attribution.addressSpaceExeced(t.mm);
        t.mm = fresh;
        t.sys = null;
        t.execPhase = true;
        t.begin("exec");
    }

    /**
     * de_thread (fs/exec.c): a thread other than the leader that execs takes the leader's tid; the
     * leader's exit record came first. The heir is the live thread of the process whose queue holds the
     * exec's new stack (vm_area_alloc), else the one with the lowest tid.
     */
    private TracedTask heir(int pid, int tid) {
        TracedTask best = null;
        boolean bestHasStack = false;
        for (TracedTask o : tasks.values()) {
            if (o.pid != pid) continue;
            boolean stack = o.pending.stream().anyMatch(k -> k.alloc() && k.site().equals("vm_area_alloc"));
            if (best == null || (stack && !bestHasStack) || (stack == bestHasStack && o.tid < best.tid)) {
                best = o;
                bestHasStack = stack;
            }
        }
        if (best == null) return null;
        tasks.remove(best.tid);
        best.tid = tid;
        tasks.put(tid, best);
        ctx.count("execs by a thread other than the leader (it took the leader's tid)");
        return best;
    }

    void forkRecord(int pid, int ctid, int ptid) throws IOException {
        TracedTask parent = tasks.get(ptid);
        if (parent == null) {
            if (anyTask) ctx.damage("clones by tasks not seen being created");
            return;
        }
        before(parent);
        parent.fork = new ForkRecord(ctx.line, pid, ctid);
    }

    void newtask(TracedTask t, PerfEvent.NewTask n) throws IOException {
        if (t == null) {
            if (anyTask) ctx.damage("clones by tasks not seen being created");
            return;
        }
        int childTid = n.childTid();
        long flags = n.cloneFlags();
        int childPid;
        if (t.fork != null && t.fork.childTid == childTid) childPid = t.fork.childPid;
        else {
            before(t);
            childPid = (flags & CLONE_THREAD) != 0 ? t.pid : childTid;
        }
        t.fork = null;
        clone(t, childPid, childTid, flags);
    }

    private void clone(TracedTask t, int childPid, int childTid, long flags) throws IOException {
        String kind = (flags & CLONE_THREAD) != 0 ? "thread" : (flags & CLONE_VM) != 0 ? "vfork" : "fork";
        Layout mm = kind.equals("fork") ? t.mm.copyForFork() : t.mm;
        if (kind.equals("fork")) {
            attribution.settleFork(t, mm);
            attribution.forked(t.mm, mm);
        } else {
            attribution.settle(t);
        }
        TracedTask old = tasks.get(childTid);
        if (old != null) {
            ctx.damage("tids cloned again while the task that had it is alive (its PERF_RECORD_EXIT line missing?)");
            attribution.settle(old);
            ctx.emit(new Op.Exit(old.name));
            if (lastUser(old)) attribution.addressSpaceExited(old.mm);
            tasks.remove(childTid);
        }
        TracedTask c = new TracedTask(childPid, childTid, newName(childPid, childTid), mm);
        tasks.put(childTid, c);
        switch (kind) {
            case "thread" -> ctx.emit(new Op.Thread(t.name, c.name));
            case "vfork" -> ctx.emit(new Op.Vfork(t.name, c.name));
            default -> ctx.emit(new Op.Fork(t.name, c.name));
        }
        t.begin(kind);
    }

    /** Whether no other live task shares t's address space. */
    private boolean lastUser(TracedTask t) {
        for (TracedTask o : tasks.values()) if (o != t && o.mm == t.mm) return false;
        return true;
    }

    /** The walks of --walks, when t is the last live user of its address space. */
    private void walkBeforeLeaving(TracedTask t) throws IOException {
        if (!walks || !lastUser(t)) return;
        for (Layout.Range r : t.mm.extents()) ctx.emit(new Op.Walk(t.name, r.start(), r.end() - r.start()));
    }

    void exitRecord(int tid) throws IOException {
        TracedTask t = tasks.get(tid);
        if (t == null) {
            ctx.count("exits of tasks already gone or never seen");
            return;
        }
        before(t);
        attribution.settleExit(t);
        walkBeforeLeaving(t);
        ctx.emit(new Op.Exit(t.name));
        if (lastUser(t)) attribution.addressSpaceExited(t.mm);
        tasks.remove(tid);
    }

    // ------------------------------------------------------------------ faults

    /** A page fault of t, after its prologue: a touch of its page, or counted when outside any mapping. */
    void fault(TracedTask t, PerfEvent.Fault f) throws IOException {
        attribution.settle(t);
        long code = f.errorCode();
        boolean write = (code & 2) != 0;
        long page = f.address() >>> 12;
        if ((code & 0x20) != 0) ctx.unrepresented("protection-key faults (written as plain touches)");
        Layout.Range r = t.mm.find(page);
        if (r == null) r = growStack(t.mm, page);
        if (r == null && page == 0 && !f.kernel()) {
            // Nothing is ever mapped in page 0 (it lies below vm.mmap_min_addr, at least 4096 bytes): the
            // kernel finds no VMA (lock_mm_and_find_vma) and raises SIGSEGV, which the program handles (a
            // JVM's implicit null checks read address 0 on purpose). A touch the model refuses the same way.
            ctx.emit(new Op.Touch(t.name, page, 1, write));
            ctx.count("user faults in page 0 (SIGSEGV, as a JVM's implicit null check makes; written as touches)");
            t.begin("touch");
            return;
        }
        if (r == null) {
            ctx.unrepresented("page faults outside any known mapping");
            t.begin(Truth.UNATTRIBUTED);
            return;
        }
        Long top = execStackTop.remove(t.mm);
        if (top != null && (r.flags() & Layout.STACK) != 0 && f.kernel() && page < top - 1 && top - 1 - page <= 64) {
            // exec wrote the arguments and environment from the top down without faults (recording.md);
            // create_elf_tables' first fault is just below them
            ctx.emit(new Op.Touch(t.name, page + 1, top - 1 - (page + 1), true));
        }
        ctx.emit(new Op.Touch(t.name, page, 1, write));
        t.begin("touch");
        t.readFault = !write;
    }

    /**
     * A fault below a grows-down stack grows it, as expand_downwards does
     * (mm/mmap.c), within RLIMIT_STACK and not within stack_guard_gap of the
     * mapping below; the importer follows the model's defaults.
     */
    private Layout.Range growStack(Layout mm, long page) {
        Layout.Range above = mm.above(page);
        if (above == null || (above.flags() & Layout.STACK) == 0) return null;
        long end = above.end();
        // the whole stack's extent: consecutive STACK ranges from `above`
        for (Layout.Range r = mm.above(end); r != null && r.start() == end && (r.flags() & Layout.STACK) != 0;
                r = mm.above(end)) end = r.end();
        if (end - page > ctx.machine.stackLimit()) return null;
        Layout.Range below = null;
        for (Layout.Range x : mm.overlaps(0, page)) below = x;
        if (below != null && (below.flags() & Layout.STACK) == 0 && page - below.end() < ctx.machine.stackGuardGap()) return null;
        mm.add(page, above.start(), Layout.STACK);
        return mm.find(page);
    }

    // ------------------------------------------------------------------ mappings without a syscall

    /**
     * An MMAP2 line of t that no mmap call of t is waiting for: a piece of a known mapping that
     * mprotect, mremap or madvise changed (already written as that op), or a mapping the kernel made
     * without a syscall of the event set: exec (the stack, the ELF segments, the bss), or another way
     * (shmat; counted).
     */
    void mapping(TracedTask t, Mapping m) throws IOException, WorkloadException {
        long s = m.s(), e = m.e();
        if (!t.execPhase && t.sys == null) {
            boolean consequence = CONSEQUENCES.contains(t.cur);
            if (consequence || t.mm.covered(s, e)) {
                attribution.settle(t);
                if (!t.mm.covered(s, e)) ctx.damage("MMAP2 lines after " + t.cur + " outside known mappings (ignored)");
                else if (!consequence) ctx.count("MMAP2 lines inside known mappings (ignored)");
                else if (e <= t.opStart || s >= t.opEnd)
                    // perf_event_mmap announces the VMA the call changed (mprotect_fixup, madvise_update_vma)
                    ctx.damage("MMAP2 lines after " + t.cur + " of another range (the line of the call they belong to missing?)");
                return;
            }
        }
        if (t.sys != null) return; // brk growth, mremap: written (and their events settled) at their exit events
        String path = m.path();
        MapKind kind;
        if (path.equals("[stack]")) kind = MapKind.STACK;
        else if (path.equals("//anon") || path.equals("[heap]") || path.startsWith("/dev/zero")
                || path.startsWith("[anon")) kind = m.shared() ? MapKind.SHARED : MapKind.ANON;
        else kind = m.shared() ? MapKind.sharedFile(ctx.fileName(path, m.dev()), m.pgoffBytes() / ImportContext.PAGE)
                : MapKind.file(ctx.fileName(path, m.dev()), m.pgoffBytes() / ImportContext.PAGE);
        if (kind.isFile() && m.pgoffBytes() % ImportContext.PAGE != 0) throw ctx.error("MMAP2 file offset not page-aligned");
        if (t.execPhase && kind.type() != MapKind.Type.STACK) {
            // load_elf_binary and the vdso map one new VMA per MMAP2 line (vm_area_alloc just before it);
            // the stack's was made before the COMM exec line (bprm_mm_init)
            long vmas = Attribution.vmasAllocated(t);
            if (vmas == 0) ctx.damage("exec-time MMAP2 lines with no vm_area_alloc line before them (missing)");
            if (vmas > 1) ctx.damage("VMAs allocated at an exec with no MMAP2 line after them (missing)");
        }
        if (!t.execPhase) {
            // shmat and io_setup map without mmap (do_shmat, aio_setup_ring: do_mmap); anything else had a call
            if (!path.startsWith("/SYSV") && !path.contains("[aio]"))
                ctx.damage("MMAP2 lines of no mmap call (its sys_enter_mmap line missing?)");
            ctx.count("mappings made without a syscall of the event set (written as mmap)");
            attribution.madeWithoutSyscall(t, s, e);
        }
        boolean unmapped = false;
        List<Layout.Range> over = t.mm.overlaps(s, e);
        if (!over.isEmpty()) {
            long to = e;
            if (t.execPhase) {
                // elf_map (fs/binfmt_elf.c) maps the whole image with the first segment, then unmaps the
                // rest of that reservation; the next segment arrives over it
                Layout.Range first = t.mm.find(over.get(0).start());
                for (Layout.Range x : over) {
                    Layout.Range whole = t.mm.find(x.start());
                    if (whole != null) to = Math.max(to, whole.end());
                }
                if (first == null) to = e;
            }
            for (Layout.Range x : t.mm.overlaps(s, to)) ctx.emit(new Op.Munmap(t.name, x.start(), x.end() - x.start()));
            t.mm.remove(s, to);
            unmapped = true;
        }
        attribution.settleMunmapMmap(t, unmapped, "mmap");
        ctx.emit(new Op.Mmap(t.name, s, e - s, m.prot(), kind));
        t.mm.add(s, e, kind.type() == MapKind.Type.STACK ? Layout.STACK : 0);
        t.begin("mmap");
        if (unmapped) t.freeOp = "munmap";
        if (kind.type() == MapKind.Type.STACK && t.execPhase) {
            // the new program's arguments and environment were written at the top (no fault event)
            ctx.emit(new Op.Touch(t.name, e - 1, 1, true));
            execStackTop.put(t.mm, e);
            t.begin("touch");
        }
    }

    /** At the end of the recording: the events still waiting go to their tasks' ops. */
    void finish() {
        for (TracedTask t : tasks.values()) attribution.settle(t);
    }
}
