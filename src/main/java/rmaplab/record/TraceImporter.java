package rmaplab.record;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import rmaplab.ledger.Ledgers;
import rmaplab.run.ValidationDesign;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.WorkloadError;
import rmaplab.workload.Advice;
import rmaplab.workload.MapFlag;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.WorkloadWriter;

/**
 * Turns the text of {@code perf script --show-mmap-events --show-task-events}
 * (the events of {@link EventSet}) into workload ops and the kernel's ground
 * truth ({@link Truth}). Reads line by line; keeps state per live task and per
 * address space only. The rules are in package-info.java.
 */
public final class TraceImporter {
    static final long PAGE = 4096;
    static final String UNATTRIBUTED = "unattributed";
    /**
     * The truth's bucket for the objects a syscall made and freed again before failing (an mmap
     * without its MMAP2 line: __mmap_region's error path frees the VMA __mmap_new_vma allocated).
     * The workload writes no op for a failed call, so the model has nothing there.
     */
    static final String FAILED = "failed";
    static final int CLONE_VM = 0x100, CLONE_VFORK = 0x4000, CLONE_THREAD = 0x10000;

    /** Anon_vma_chain call sites: everything else in that cache is another object sharing the slab cache. */
    static final Set<String> AVC_SITES = Set.of("__anon_vma_prepare", "anon_vma_clone", "anon_vma_fork",
            "unlink_anon_vmas", "anon_vma_chain_alloc", "anon_vma_chain_free");
    /** Sites of other objects known to share the anon_vma_chain cache on this kernel (recording.md). */
    static final Set<String> FOREIGN_SITES = Set.of("copy_fs_struct", "do_exit", "free_fs_struct", "exit_fs",
            "ep_ptable_queue_proc", "ep_remove", "eventpoll_release_file", "ep_free", "ep_unregister_pollwait",
            "ep_remove_wait_queue", "ep_insert", "do_epoll_ctl");
    /** Ops whose MMAP2 lines only restate pieces of known mappings. */
    static final Set<String> CONSEQUENCES = Set.of("mprotect", "madvise", "mremap", "munmap");
    /** dup_mmap's call sites (kernel/fork.c dup_mmap: vm_area_dup, anon_vma_fork, and anon_vma_clone inside it). */
    static final Set<String> DUP_SITES = Set.of("vm_area_dup", "anon_vma_fork", "anon_vma_clone");

    /** One kmem event waiting for the op it belongs to. */
    private record Kmem(String kind, boolean alloc, String site, boolean forkMarker) {}

    /**
     * VMAs of mappings made without a syscall of the event set (shmat), by the ptr= of their
     * vm_area_alloc: their vms_complete_munmap_vmas free is the only sign of the unmapping (shmdt).
     */
    private final Map<String, Layout.Range> hiddenMappings = new HashMap<>();
    /** The ptr= of the last vm_area_alloc per task, until its MMAP2 line. */
    private final Map<Integer, String> lastVmaAlloc = new HashMap<>();

    /** A syscall whose result is still to come. */
    private sealed interface Sys {
        long line();
    }

    private record MmapCall(long line, long addr, long len, long prot, long flags, long fd, long off) implements Sys {}

    private record BrkCall(long line, long requested) implements Sys {}

    private record MremapCall(long line, long addr, long oldLen, long newLen, long flags, long newAddr) implements Sys {}

    /** A PERF_RECORD_FORK seen in the parent, waiting for its task_newtask. */
    private record ForkRecord(long line, int childPid, int childTid) {}

    private static final class Task {
        final int pid;
        int tid;
        final String name;
        Layout mm;
        String cur = UNATTRIBUTED;
        final List<Kmem> pending = new ArrayList<>();
        Sys sys;
        ForkRecord fork;
        boolean execPhase;
        /** Where frees go when not to cur: the munmap part of an mmap written as munmap + mmap. */
        String freeOp;
        /** The op in progress is a read fault (no write bit in its error code). */
        boolean readFault;

        void begin(String op) {
            cur = op;
            freeOp = null;
            readFault = false;
        }

        Task(int pid, int tid, String name, Layout mm) {
            this.pid = pid;
            this.tid = tid;
            this.name = name;
            this.mm = mm;
        }
    }

    /** Per-mm extra state kept beside the layout: the exec stack's top, until its first fault. */
    private final Map<Layout, Long> execStackTop = new HashMap<>();

    private static final Pattern HEADER = Pattern.compile(
            "^\\s*(.*?)\\s+(-?\\d+)(?:/(-?\\d+))?\\s+\\[(\\d+)\\]\\s+(\\d+\\.\\d+):\\s+(.*)$");
    private static final Pattern MMAP2 = Pattern.compile(
            "^PERF_RECORD_MMAP2 (-?\\d+)/(-?\\d+): \\[0x([0-9a-f]+)\\(0x([0-9a-f]+)\\) @ (0x[0-9a-f]+|\\d+) "
                    + "([0-9a-f]+):([0-9a-f]+) (\\d+) (\\d+)\\]: ([-rwxps]{4}) (.*)$");
    private static final Pattern COMM = Pattern.compile("^PERF_RECORD_COMM( exec)?: (.*):(-?\\d+)/(-?\\d+)$");
    private static final Pattern FORK_EXIT = Pattern.compile(
            "^PERF_RECORD_(FORK|EXIT)\\((-?\\d+):(-?\\d+)\\):\\((-?\\d+):(-?\\d+)\\)$");
    private static final Pattern EVENT = Pattern.compile("^([a-z_0-9]+):([a-zA-Z_0-9]+):\\s*(.*)$");

    private final String file;
    private final WorkloadWriter out;
    private final Truth truth;
    private final MachineConfig machine = MachineConfig.defaults().withZeroPage(false);
    /** The validation pass's machine, run op by op as the workload is written: what it maps is what counts. */
    private final Machine shadow = new Machine(machine, new Ledgers(), ValidationDesign::new);
    private final Map<Integer, Task> tasks = new HashMap<>(); // live tasks by tid
    private final Map<String, Integer> names = new HashMap<>(); // incarnations of a name
    private final Map<String, String> fileNames = new HashMap<>(); // dev:inode -> NAME
    private final Set<String> usedFileNames = new java.util.HashSet<>();
    private final Map<String, Long> ops = new TreeMap<>();
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private long line;
    private boolean anyTask;

    /** Write a walk of every mapped range of an address space just before its last user exits or execs. */
    private boolean walks;

    private TraceImporter(String file, WorkloadWriter out, Truth truth) {
        this.file = file;
        this.out = out;
        this.truth = truth;
    }

    /** What an import did. */
    public record Result(long lines, Map<String, Long> ops, int liveTasks, Map<String, Long> counters) {
        public long opTotal() { return ops.values().stream().mapToLong(Long::longValue).sum(); }
    }

    /**
     * Imports perf script text (plain or gzip, told by its magic bytes) from
     * {@code in}; errors are {@code FILE:LINE: what is wrong} with FILE =
     * {@code name}.
     */
    public static Result run(String name, InputStream in, WorkloadWriter out, Truth truth)
            throws IOException, WorkloadException {
        return run(name, in, out, truth, false);
    }

    /**
     * As above; with {@code walks}, a {@code walk} of each mapped range of an address space is written
     * just before its last user exits or execs, so that the oracle checks (and the designs pay for) a
     * reverse walk of every anonymous folio a recorded process leaves behind.
     */
    public static Result run(String name, InputStream in, WorkloadWriter out, Truth truth, boolean walks)
            throws IOException, WorkloadException {
        TraceImporter imp = new TraceImporter(name, out, truth);
        imp.walks = walks;
        BufferedInputStream raw = new BufferedInputStream(in, 1 << 16);
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        InputStream s;
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                s = new GZIPInputStream(raw, 1 << 16);
            } catch (IOException e) {
                throw new WorkloadException(name, 1, "not a readable gzip file: " + e.getMessage());
            }
        } else {
            s = raw;
        }
        // ISO-8859-1: every byte is a character, so a damaged byte is a parse error, never a decoding one
        try (BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.ISO_8859_1), 1 << 16)) {
            imp.loop(r);
        }
        if (!imp.anyTask)
            throw new WorkloadException(name, imp.line, "no 'PERF_RECORD_COMM exec' line: not the perf script text of a "
                    + "recorded command (record with 'rmaplab record', or perf script --show-task-events)");
        imp.finish();
        return new Result(imp.line, imp.ops, imp.tasks.size(), imp.counters);
    }

    private void loop(BufferedReader r) throws WorkloadException, IOException {
        while (true) {
            String l;
            try {
                l = r.readLine();
            } catch (IOException e) {
                throw new WorkloadException(file, line + 1, "cannot read further (truncated or corrupted file?): "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
            if (l == null) break;
            line++;
            try {
                handle(l);
            } catch (WorkloadException e) {
                throw e;
            } catch (IOException e) {
                throw e; // writing the workload failed: not the input's fault
            } catch (RuntimeException e) {
                // a safety net: the importer's own checks should have caught it; the tests fail on this message
                throw new WorkloadException(file, line, "internal error while importing this line: " + e);
            }
        }
    }

    private WorkloadException error(String what) { return new WorkloadException(file, line, what); }

    private void count(String what) { counters.merge(what, 1L, Long::sum); }

    // ------------------------------------------------------------------ lines

    private void handle(String l) throws WorkloadException, IOException {
        if (l.isBlank()) return;
        Matcher h = HEADER.matcher(l);
        if (!h.matches()) throw error("not a line of perf script output: '" + abbrev(l) + "'");
        int tid = parseInt(h.group(2), "tid");
        String body = h.group(6);
        if (body.startsWith("PERF_RECORD_")) {
            record(tid, body);
            return;
        }
        Matcher e = EVENT.matcher(body);
        if (!e.matches()) throw error("not an event: '" + abbrev(body) + "'");
        String sys = e.group(1), ev = e.group(2), payload = e.group(3);
        Task t = tasks.get(tid);
        switch (sys + ":" + ev) {
            case "kmem:kmem_cache_alloc" -> kmem(t, true, payload);
            case "kmem:kmem_cache_free" -> kmem(t, false, payload);
            case "exceptions:page_fault_user" -> fault(t, payload, false);
            case "exceptions:page_fault_kernel" -> fault(t, payload, true);
            case "task:task_newtask" -> newtask(t, payload);
            case "syscalls:sys_enter_mmap", "syscalls:sys_enter_munmap", "syscalls:sys_enter_mprotect",
                    "syscalls:sys_enter_brk", "syscalls:sys_enter_madvise", "syscalls:sys_enter_mremap" ->
                    sysEnter(t, ev.substring("sys_enter_".length()), payload);
            case "syscalls:sys_exit_brk", "syscalls:sys_exit_mremap" ->
                    sysExit(t, ev.substring("sys_exit_".length()), payload);
            default -> truth.unrepresented("event " + sys + ":" + ev + " (not in the event set)");
        }
    }

    private void record(int tid, String body) throws WorkloadException, IOException {
        if (body.startsWith("PERF_RECORD_MMAP2")) {
            Matcher m = MMAP2.matcher(body);
            if (!m.matches()) throw error("malformed PERF_RECORD_MMAP2 line");
            int t = parseInt(m.group(2), "tid");
            mmap2(tasks.get(t), m);
        } else if (body.startsWith("PERF_RECORD_MMAP ")) {
            if (!body.startsWith("PERF_RECORD_MMAP -1/")) truth.unrepresented("PERF_RECORD_MMAP without -d details");
        } else if (body.startsWith("PERF_RECORD_COMM")) {
            Matcher m = COMM.matcher(body);
            if (!m.matches()) throw error("malformed PERF_RECORD_COMM line");
            if (m.group(1) != null) exec(parseInt(m.group(3), "pid"), parseInt(m.group(4), "tid"));
        } else if (body.startsWith("PERF_RECORD_FORK") || body.startsWith("PERF_RECORD_EXIT")) {
            Matcher m = FORK_EXIT.matcher(body);
            if (!m.matches()) throw error("malformed " + body.substring(0, 16) + " line");
            int pid = parseInt(m.group(2), "pid"), ctid = parseInt(m.group(3), "tid");
            int ppid = parseInt(m.group(4), "pid"), ptid = parseInt(m.group(5), "tid");
            if (m.group(1).equals("FORK")) forkRecord(pid, ctid, ppid, ptid);
            else exitRecord(pid, ctid);
        } else if (body.startsWith("PERF_RECORD_LOST")) {
            truth.unrepresented("lost events (PERF_RECORD_LOST lines)");
        } else {
            count("other perf records (not about memory)");
        }
    }

    // ------------------------------------------------------------------ attribution

    private void kmem(Task t, boolean alloc, String payload) throws WorkloadException, IOException {
        String site = field(payload, "call_site=");
        String cache = field(payload, "name=");
        if (site == null || cache == null) throw error("kmem event without call_site= or name=");
        int plus = site.indexOf('+');
        if (plus > 0) site = site.substring(0, plus);
        if (!Truth.KINDS.contains(cache)) {
            truth.unrepresented("kmem events of cache " + cache + " (outside the filter)");
            return;
        }
        if (cache.equals("anon_vma_chain") && !AVC_SITES.contains(site)
                && (FOREIGN_SITES.contains(site) || site.startsWith("ep_") || site.contains("eventpoll")
                        || site.contains("fs_struct"))) {
            truth.exclude(site);
            if (t != null && site.equals("copy_fs_struct")) t.pending.add(new Kmem(cache, alloc, site, true));
            return;
        }
        if (t == null) {
            truth.count(cache, alloc, UNATTRIBUTED, site);
            return;
        }
        if (cache.equals("vm_area_struct")) {
            String ptr = field(payload, "ptr=");
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
        if (alloc && t.readFault && cache.equals("anon_vma") && site.equals("__anon_vma_prepare")) truth.readFaultAnonVmas++;
        t.pending.add(new Kmem(cache, alloc, site, false));
    }

    /**
     * The free of a VMA that a mapping made without a syscall of the event set created, while no
     * munmap of it was written: it was unmapped without a syscall of the event set either
     * (ksys_shmdt: do_vmi_munmap, whose vms_complete_munmap_vmas frees the VMA). Written as a munmap
     * of that mapping, and the free counted under it.
     */
    private void unmapHidden(Task t, Layout.Range r) throws IOException {
        settle(t);
        emit(new Op.Munmap(t.name, r.start(), r.end() - r.start()));
        t.mm.remove(r.start(), r.end());
        truth.count("vm_area_struct", false, "munmap", "vms_complete_munmap_vmas");
        count("unmappings without a syscall of the event set (shmdt; written as munmap)");
    }

    /** Gives every pending kmem event of t to the op in progress. */
    private void settle(Task t) { settle(t, k -> !k.alloc && t.freeOp != null ? t.freeOp : t.cur); }

    private void settle(Task t, java.util.function.Function<Kmem, String> op) {
        for (Kmem k : t.pending) if (!k.forkMarker) truth.count(k.kind, k.alloc, op.apply(k), k.site);
        t.pending.clear();
    }

    /**
     * Pending events when an op that the kernel did inside one syscall was
     * written as munmap then mmap (MAP_FIXED over a mapping, or the ELF
     * loader unmapping the rest of its reservation): the new VMA and the
     * merge frees go to mmap, the splitting and unmapping to munmap.
     */
    private void settleMunmapMmap(Task t, boolean munmapWritten, String mmapOp) {
        settleFaultHead(t);
        settle(t, k -> !munmapWritten || k.site.equals("vm_area_alloc") || k.site.equals("vma_complete")
                ? mmapOp : "munmap");
    }

    /**
     * After a fault, the anon_vma and anon_vma_chain that __anon_vma_prepare made for it come first
     * (do_anonymous_page, do_cow_fault); they belong to the touch even when the line that ends them
     * is a mapping the kernel made without a syscall (exec: a bss fault, then the next ELF segment).
     */
    private void settleFaultHead(Task t) {
        if (!t.cur.equals("touch")) return;
        int n = 0;
        while (n < t.pending.size() && t.pending.get(n).alloc && t.pending.get(n).site.equals("__anon_vma_prepare")) n++;
        for (Kmem k : t.pending.subList(0, n)) truth.count(k.kind, k.alloc, "touch", k.site);
        t.pending.subList(0, n).clear();
    }

    // ------------------------------------------------------------------ emitting

    private void emit(Op op) throws IOException {
        if (op instanceof Op.Mmap m) {
            // The validation pass must accept the workload: an mmap over what the model still maps (its
            // layout can differ from the kernel's, e.g. after an mremap it refused) is unmapped first.
            rmaplab.sim.Task st = shadow.task(m.task());
            if (st != null)
                for (rmaplab.sim.Vma v : st.mm().overlapping(m.addr(), m.addr() + m.len())) {
                    long a = Math.max(v.start(), m.addr()), b = Math.min(v.end(), m.addr() + m.len());
                    truth.unrepresented("mmaps over pages the model still mapped (its layout had drifted from the kernel's)");
                    emit(new Op.Munmap(m.task(), a, b - a));
                }
        }
        try {
            shadow.apply(op);
        } catch (WorkloadError e) {
            throw new IllegalStateException("the importer wrote an op the model refuses: "
                    + WorkloadWriter.format(op) + ": " + e.getMessage());
        }
        out.write(op);
        ops.merge(op.keyword(), 1L, Long::sum);
    }

    private String newName(int pid, int tid) {
        String base = (pid == tid ? "p" : "t") + tid;
        int n = names.merge(base, 1, Integer::sum);
        return n == 1 ? base : base + "_" + n;
    }

    /** The common prologue of an event of task t: a FORK record that got no task_newtask is written now. */
    private void before(Task t) throws IOException {
        if (t.fork != null) {
            ForkRecord f = t.fork;
            t.fork = null;
            truth.unrepresented("clone without its task:task_newtask (kind guessed from the pids)");
            clone(t, f.childPid, f.childTid, f.childPid == t.pid ? CLONE_VM | CLONE_THREAD : 0);
        }
    }

    // ------------------------------------------------------------------ tasks

    private void exec(int pid, int tid) throws IOException, WorkloadException {
        Task t = tasks.get(tid);
        if (t == null) t = heir(pid, tid);
        if (t == null) {
            if (anyTask) truth.unrepresented("processes not seen being created (started with spawn)");
            anyTask = true;
            t = new Task(pid, tid, newName(pid, tid), new Layout());
            tasks.put(tid, t);
            emit(new Op.Spawn(t.name));
            t.execPhase = true;
            t.begin("exec");
            return;
        }
        before(t);
        // The exec's own events came before this line (fs/exec.c: bprm_mm_init makes the new stack VMA,
        // copy_strings faults its pages in without a fault event, exec_mmap drops the old mm); they
        // start at the new stack's vm_area_alloc. The stack VMA and its anon_vma are written as the
        // mmap and the touch that follow, the rest (the old mm's teardown) belongs to exec.
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
        t.pending.addAll(after);
        settle(t, k -> k.alloc && k.site.equals("vm_area_alloc") ? "mmap"
                : k.alloc && k.site.equals("__anon_vma_prepare") ? "touch" : "exec");
        // Linux ends the other threads first (de_thread)
        for (Task o : new ArrayList<>(tasks.values()))
            if (o != t && o.pid == t.pid) {
                settle(o);
                emit(new Op.Exit(o.name));
                tasks.remove(o.tid);
                count("threads ended by another thread's exec");
            }
        walkBeforeLeaving(t);
        emit(new Op.Exec(t.name));
        t.mm = new Layout();
        t.sys = null;
        t.execPhase = true;
        t.begin("exec");
    }

    /**
     * de_thread (fs/exec.c): a thread other than the leader that execs takes the leader's tid; the
     * leader's exit record came first. The heir is the live thread of the process whose queue holds the
     * exec's new stack (vm_area_alloc), else the one with the lowest tid.
     */
    private Task heir(int pid, int tid) {
        Task best = null;
        boolean bestHasStack = false;
        for (Task o : tasks.values()) {
            if (o.pid != pid) continue;
            boolean stack = o.pending.stream().anyMatch(k -> k.alloc && k.site.equals("vm_area_alloc"));
            if (best == null || (stack && !bestHasStack) || (stack == bestHasStack && o.tid < best.tid)) {
                best = o;
                bestHasStack = stack;
            }
        }
        if (best == null) return null;
        tasks.remove(best.tid);
        best.tid = tid;
        tasks.put(tid, best);
        count("execs by a thread other than the leader (it took the leader's tid)");
        return best;
    }

    private void forkRecord(int pid, int ctid, int ppid, int ptid) throws IOException {
        Task parent = tasks.get(ptid);
        if (parent == null) {
            if (anyTask) truth.unrepresented("clones by tasks not seen being created");
            return;
        }
        before(parent);
        parent.fork = new ForkRecord(line, pid, ctid);
    }

    private void newtask(Task t, String payload) throws WorkloadException, IOException {
        String pidS = field(payload, "pid="), flagsS = lastField(payload, " clone_flags=");
        if (pidS == null || flagsS == null) throw error("task_newtask without pid= or clone_flags=");
        int childTid = parseInt(pidS, "pid");
        long flags = parseHex(flagsS, "clone_flags");
        if (t == null) {
            if (anyTask) truth.unrepresented("clones by tasks not seen being created");
            return;
        }
        int childPid;
        if (t.fork != null && t.fork.childTid == childTid) childPid = t.fork.childPid;
        else {
            before(t);
            childPid = (flags & CLONE_THREAD) != 0 ? t.pid : childTid;
        }
        t.fork = null;
        clone(t, childPid, childTid, flags);
    }

    private void clone(Task t, int childPid, int childTid, long flags) throws IOException {
        String kind = (flags & CLONE_THREAD) != 0 ? "thread" : (flags & CLONE_VM) != 0 ? "vfork" : "fork";
        if (kind.equals("fork")) {
            // dup_mmap (kernel/fork.c) runs in the parent before task_newtask, after copy_fs (copy_fs_struct):
            // the dup sites after the last copy_fs_struct marker belong to the fork
            int marker = -1;
            for (int i = 0; i < t.pending.size(); i++) if (t.pending.get(i).forkMarker) marker = i;
            int from;
            if (marker >= 0) from = marker + 1;
            else {
                from = t.pending.size();
                while (from > 0 && DUP_SITES.contains(t.pending.get(from - 1).site) && t.pending.get(from - 1).alloc) from--;
            }
            final int f = from;
            List<Kmem> all = List.copyOf(t.pending);
            t.pending.clear();
            for (int i = 0; i < all.size(); i++) {
                Kmem k = all.get(i);
                if (!k.forkMarker) truth.count(k.kind, k.alloc, i >= f ? "fork" : t.cur, k.site);
            }
        } else {
            settle(t);
        }
        Task old = tasks.get(childTid);
        if (old != null) {
            truth.unrepresented("tids reused while the importer thought the old task alive");
            settle(old);
            emit(new Op.Exit(old.name));
            tasks.remove(childTid);
        }
        Layout mm = kind.equals("fork") ? t.mm.copyForFork() : t.mm;
        Task c = new Task(childPid, childTid, newName(childPid, childTid), mm);
        tasks.put(childTid, c);
        switch (kind) {
            case "thread" -> emit(new Op.Thread(t.name, c.name));
            case "vfork" -> emit(new Op.Vfork(t.name, c.name));
            default -> emit(new Op.Fork(t.name, c.name));
        }
        t.begin(kind);
    }

    /** The walks of --walks, when t is the last live user of its address space. */
    private void walkBeforeLeaving(Task t) throws IOException {
        if (!walks) return;
        for (Task o : tasks.values()) if (o != t && o.mm == t.mm) return;
        for (Layout.Range r : t.mm.extents()) emit(new Op.Walk(t.name, r.start(), r.end() - r.start()));
    }

    private void exitRecord(int pid, int tid) throws IOException {
        Task t = tasks.get(tid);
        if (t == null) {
            count("exits of tasks already gone or never seen");
            return;
        }
        before(t);
        // the frees of exit_mmap, when they are recorded at all (recording.md: they are not on this kernel)
        int start = -1;
        for (int i = 0; i < t.pending.size(); i++)
            if (!t.pending.get(i).alloc && t.pending.get(i).site.equals("exit_mmap")) {
                start = i;
                break;
            }
        final int s = start < 0 ? t.pending.size() : start;
        List<Kmem> all = List.copyOf(t.pending);
        t.pending.clear();
        for (int i = 0; i < all.size(); i++) {
            Kmem k = all.get(i);
            if (!k.forkMarker) truth.count(k.kind, k.alloc, i >= s ? "exit" : t.cur, k.site);
        }
        if (s < all.size()) truth.exitFreesRecorded = true;
        walkBeforeLeaving(t);
        emit(new Op.Exit(t.name));
        tasks.remove(tid);
    }

    // ------------------------------------------------------------------ faults

    private void fault(Task t, String payload, boolean kernel) throws WorkloadException, IOException {
        String a = field(payload, "address="), ec = field(payload, "error_code=");
        if (a == null || ec == null) throw error("page fault without address= or error_code=");
        long addr = parseHex(a, "address"), code = parseHex(ec, "error_code");
        if (t == null) {
            if (anyTask) truth.unrepresented("page faults of tasks not seen being created");
            return;
        }
        before(t);
        if (!kernel) {
            t.execPhase = false;
            endSyscall(t);
        }
        settle(t);
        boolean write = (code & 2) != 0;
        long page = addr >>> 12;
        if ((code & 0x20) != 0) truth.unrepresented("protection-key faults (written as plain touches)");
        Layout.Range r = t.mm.find(page);
        if (r == null) r = growStack(t.mm, page);
        if (r == null) {
            truth.unrepresented("page faults outside any known mapping");
            t.begin(UNATTRIBUTED);
            return;
        }
        Long top = execStackTop.remove(t.mm);
        if (top != null && (r.flags() & Layout.STACK) != 0 && kernel && page < top - 1 && top - 1 - page <= 64) {
            // exec wrote the arguments and environment from the top down without faults (recording.md);
            // create_elf_tables' first fault is just below them
            emit(new Op.Touch(t.name, page + 1, top - 1 - (page + 1), true));
        }
        emit(new Op.Touch(t.name, page, 1, write));
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
        if (end - page > machine.stackLimit()) return null;
        Layout.Range below = null;
        for (Layout.Range x : mm.overlaps(0, page)) below = x;
        if (below != null && (below.flags() & Layout.STACK) == 0 && page - below.end() < machine.stackGuardGap()) return null;
        mm.add(page, above.start(), Layout.STACK);
        return mm.find(page);
    }

    // ------------------------------------------------------------------ syscalls

    /** A syscall that never showed its result (failed, or its exit event was lost). */
    private void endSyscall(Task t) {
        if (t.sys == null) return;
        switch (t.sys) {
            case MmapCall m -> {
                // __mmap_region's error path (e.g. hugetlbfs_file_mmap refusing a MAP_HUGETLB mapping when
                // no huge pages can be reserved) freed what __mmap_new_vma had allocated
                settle(t, k -> FAILED);
                count("mmap calls that mapped nothing (failed)");
            }
            case BrkCall b -> truth.unrepresented("brk calls without their exit event");
            case MremapCall m -> truth.unrepresented("mremap calls without their exit event");
        }
        t.sys = null;
    }

    private void sysEnter(Task t, String call, String payload) throws WorkloadException, IOException {
        Map<String, Long> a = args(payload);
        if (t == null) {
            if (anyTask) truth.unrepresented("syscalls of tasks not seen being created");
            return;
        }
        before(t);
        endSyscall(t);
        settle(t);
        t.execPhase = false;
        switch (call) {
            case "mmap" -> {
                t.sys = new MmapCall(line, arg(a, "addr"), arg(a, "len"), arg(a, "prot"), arg(a, "flags"),
                        arg(a, "fd"), arg(a, "off"));
                t.begin("mmap");
            }
            case "munmap" -> {
                long addr = arg(a, "addr"), len = pagesUp(arg(a, "len"));
                aligned(addr, "munmap addr");
                t.begin("munmap");
                if (len == 0) {
                    truth.unrepresented("munmap of length 0 (EINVAL)");
                    return;
                }
                emit(new Op.Munmap(t.name, addr / PAGE, len));
                t.mm.remove(addr / PAGE, addr / PAGE + len);
            }
            case "mprotect" -> {
                long start = arg(a, "start"), len = pagesUp(arg(a, "len")), prot = arg(a, "prot");
                aligned(start, "mprotect start");
                t.begin("mprotect");
                if (len == 0) return; // a no-op in Linux
                if ((prot & 0x03000000L) != 0) truth.unrepresented("mprotect with PROT_GROWSDOWN/GROWSUP (range not extended)");
                emit(new Op.Mprotect(t.name, start / PAGE, len, prot(prot)));
            }
            case "brk" -> {
                t.sys = new BrkCall(line, arg(a, "brk"));
                t.begin(UNATTRIBUTED);
            }
            case "mremap" -> {
                t.sys = new MremapCall(line, arg(a, "addr"), arg(a, "old_len"), arg(a, "new_len"), arg(a, "flags"),
                        arg(a, "new_addr"));
                t.begin("mremap");
            }
            case "madvise" -> madvise(t, arg(a, "start"), arg(a, "len_in"), arg(a, "behavior"));
            default -> throw new IllegalStateException(call);
        }
    }

    private void madvise(Task t, long start, long lenBytes, long behavior) throws WorkloadException, IOException {
        aligned(start, "madvise start");
        long s = start / PAGE, len = pagesUp(lenBytes);
        t.begin("madvise");
        if (len == 0) return;
        Advice adv = switch ((int) behavior) {
            case 4 -> Advice.DONTNEED;
            case 10 -> Advice.DONTFORK;
            case 11 -> Advice.DOFORK;
            case 18 -> Advice.WIPEONFORK;
            case 19 -> Advice.KEEPONFORK;
            case 14 -> Advice.HUGEPAGE; // hugepage_madvise: VM_HUGEPAGE (splits and merges like any flag change)
            case 15 -> Advice.NOHUGEPAGE;
            default -> null;
        };
        if (behavior == 22 || behavior == 23) { // MADV_POPULATE_READ / _WRITE: pages without faults
            for (Layout.Range r : t.mm.overlaps(s, s + len))
                emit(new Op.Touch(t.name, r.start(), r.end() - r.start(), behavior == 23));
            t.begin("touch");
            count("MADV_POPULATE ranges written as touches");
            return;
        }
        if (adv == null) {
            truth.unrepresented("madvise " + adviceName(behavior));
            return;
        }
        emit(new Op.Madvise(t.name, s, len, adv));
        if (adv == Advice.DONTFORK) t.mm.flag(s, s + len, Layout.DONTFORK, true);
        if (adv == Advice.DOFORK) t.mm.flag(s, s + len, Layout.DONTFORK, false);
    }

    private static String adviceName(long b) {
        return switch ((int) b) {
            case 0 -> "MADV_NORMAL";
            case 1 -> "MADV_RANDOM";
            case 2 -> "MADV_SEQUENTIAL";
            case 3 -> "MADV_WILLNEED";
            case 8 -> "MADV_FREE";
            case 9 -> "MADV_REMOVE";
            case 12 -> "MADV_MERGEABLE (KSM)";
            case 13 -> "MADV_UNMERGEABLE (KSM)";
            case 14 -> "MADV_HUGEPAGE";
            case 15 -> "MADV_NOHUGEPAGE";
            case 16 -> "MADV_DONTDUMP";
            case 17 -> "MADV_DODUMP";
            case 20 -> "MADV_COLD";
            case 21 -> "MADV_PAGEOUT";
            case 24 -> "MADV_DONTNEED_LOCKED";
            case 25 -> "MADV_COLLAPSE";
            case 100 -> "MADV_HWPOISON";
            case 101 -> "MADV_SOFT_OFFLINE";
            case 102 -> "MADV_GUARD_INSTALL";
            case 103 -> "MADV_GUARD_REMOVE";
            default -> "advice " + b;
        };
    }

    private void sysExit(Task t, String call, String payload) throws WorkloadException, IOException {
        long ret = parseHex(payload.trim(), "return value");
        if (t == null) {
            if (anyTask) truth.unrepresented("syscalls of tasks not seen being created");
            return;
        }
        before(t);
        if (call.equals("brk")) {
            long old = t.mm.brk;
            String op = UNATTRIBUTED;
            if (!(t.sys instanceof BrkCall)) truth.unrepresented("brk exits without their enter event");
            if (old >= 0 && ret != old) {
                long from = pageUp(old) / PAGE, to = pageUp(ret) / PAGE;
                if (to > from) { // do_brk_flags: the heap grows (mm/mmap.c)
                    List<Layout.Range> over = t.mm.overlaps(from, to);
                    if (!over.isEmpty()) {
                        truth.unrepresented("brk growth over a known mapping (inconsistent trace)");
                        for (Layout.Range r : over) emit(new Op.Munmap(t.name, r.start(), r.end() - r.start()));
                        t.mm.remove(from, to);
                    }
                    emit(new Op.Mmap(t.name, from, to - from, Prot.RW, MapKind.ANON));
                    t.mm.add(from, to, 0);
                    op = "mmap";
                } else if (to < from) { // brk shrinks: do_vmi_align_munmap
                    emit(new Op.Munmap(t.name, to, from - to));
                    t.mm.remove(to, from);
                    op = "munmap";
                }
            } else if (old < 0 && t.sys instanceof BrkCall b && b.requested != 0 && b.requested == ret) {
                truth.unrepresented("brk changes from an unknown previous break (heap not written)");
            }
            final String o = op;
            settle(t, k -> o);
            t.mm.brk = ret;
            t.sys = null;
            t.begin(o);
            return;
        }
        // mremap
        if (!(t.sys instanceof MremapCall m)) {
            settle(t);
            truth.unrepresented("mremap exits without their enter event");
            t.sys = null;
            return;
        }
        t.sys = null;
        if (Long.compareUnsigned(ret, -4095L) >= 0) { // an error: nothing changed
            settle(t);
            return;
        }
        aligned(m.addr, "mremap addr");
        aligned(ret, "mremap result");
        long s = m.addr / PAGE, oldLen = pagesUp(m.oldLen), newLen = pagesUp(m.newLen), ns = ret / PAGE;
        if (oldLen == 0 || newLen == 0) {
            settle(t);
            if (oldLen == 0) truth.unrepresented("mremap with old_len 0 (duplicates a shared mapping)");
            return;
        }
        if ((m.flags & 4) != 0) truth.unrepresented("mremap MREMAP_DONTUNMAP (written as a plain move)");
        List<Layout.Range> src = t.mm.overlaps(s, s + oldLen);
        // the part of a moved target over the source itself moves away; the rest is unmapped first
        List<Layout.Range> unmap = new ArrayList<>();
        if (ns != s)
            for (Layout.Range r : t.mm.overlaps(ns, ns + newLen))
                unmap.addAll(cut(Math.max(r.start(), ns), Math.min(r.end(), ns + newLen), s, s + oldLen));
        if (unmap.isEmpty()) settle(t);
        else {
            // mremap_to (mm/mremap.c) unmaps the target before moving: its splits and frees come first,
            // up to the first vm_area_dup after a free (copy_vma's new VMA)
            List<Kmem> all = List.copyOf(t.pending);
            t.pending.clear();
            boolean freed = false, moving = false;
            for (Kmem k : all) {
                if (k.forkMarker) continue;
                if (freed && k.alloc && k.site.equals("vm_area_dup")) moving = true;
                if (!k.alloc) freed = true;
                truth.count(k.kind, k.alloc, moving ? "mremap" : "munmap", k.site);
            }
            for (Layout.Range x : unmap) {
                emit(new Op.Munmap(t.name, x.start(), x.end() - x.start()));
                t.mm.remove(x.start(), x.end());
            }
        }
        emit(new Op.Mremap(t.name, s, oldLen, ns, newLen));
        int flags = src.isEmpty() ? 0 : src.get(0).flags();
        t.mm.remove(s, s + oldLen);
        t.mm.remove(ns, ns + newLen);
        t.mm.add(ns, ns + newLen, flags);
        t.begin("mremap");
    }

    /** [a, b) without [s, e). */
    private static List<Layout.Range> cut(long a, long b, long s, long e) {
        List<Layout.Range> out = new ArrayList<>();
        if (a < Math.min(b, s)) out.add(new Layout.Range(a, Math.min(b, s), 0));
        if (Math.max(a, e) < b) out.add(new Layout.Range(Math.max(a, e), b, 0));
        return out;
    }

    // ------------------------------------------------------------------ mappings

    private void mmap2(Task t, Matcher m) throws WorkloadException, IOException {
        if (t == null) {
            if (anyTask) truth.unrepresented("mappings of tasks not seen being created");
            return;
        }
        before(t);
        long start = parseHex(m.group(3), "MMAP2 start"), len = parseHex(m.group(4), "MMAP2 length");
        String pg = m.group(5);
        long pgoffBytes = pg.startsWith("0x") ? parseHex(pg, "MMAP2 offset") : parseDecimal(pg, "MMAP2 offset");
        String protS = m.group(10), path = m.group(11);
        aligned(start, "MMAP2 start");
        aligned(len, "MMAP2 length");
        if (len == 0) throw error("MMAP2 of length 0");
        long s = start / PAGE, e = s + len / PAGE;
        if (e <= s) throw error("MMAP2 range wraps around");
        boolean sharedFlag = protS.charAt(3) == 's';
        Prot prot = prot(protS.substring(0, 3));
        String dev = m.group(6) + ":" + m.group(7) + ":" + m.group(8);

        if (t.sys instanceof MmapCall c) {
            t.sys = null;
            mmapCall(t, c, s, e, prot, path, dev, sharedFlag);
            return;
        }
        if (!t.execPhase && t.sys == null) {
            boolean consequence = CONSEQUENCES.contains(t.cur);
            if (consequence || t.mm.covered(s, e)) {
                // a piece that mprotect, mremap or madvise changed (already written as that op), or a
                // mapping already known
                settle(t);
                if (!t.mm.covered(s, e)) truth.unrepresented("MMAP2 lines after " + t.cur + " outside known mappings (ignored)");
                else if (!consequence) count("MMAP2 lines inside known mappings (ignored)");
                return;
            }
        }
        if (t.sys != null) return; // brk growth, mremap: written (and their events settled) at their exit events
        // a mapping the kernel made without a syscall of the event set: exec (the stack, the ELF segments,
        // the bss), or another way (counted)
        MapKind kind;
        if (path.equals("[stack]")) kind = MapKind.STACK;
        else if (path.equals("//anon") || path.equals("[heap]") || path.startsWith("/dev/zero")
                || path.startsWith("[anon")) kind = sharedFlag ? MapKind.SHARED : MapKind.ANON;
        else kind = sharedFlag ? MapKind.sharedFile(fileName(path, dev), pgoffBytes / PAGE)
                : MapKind.file(fileName(path, dev), pgoffBytes / PAGE);
        if (kind.isFile() && pgoffBytes % PAGE != 0) throw error("MMAP2 file offset not page-aligned");
        if (!t.execPhase) {
            count("mappings made without a syscall of the event set (written as mmap)");
            // its VMA is the vm_area_alloc just before this line (do_shmat: do_mmap, __mmap_new_vma)
            String ptr = lastVmaAlloc.get(t.tid);
            if (ptr != null && t.pending.stream().anyMatch(k -> k.alloc && k.site.equals("vm_area_alloc")))
                hiddenMappings.put(ptr, new Layout.Range(s, e, 0));
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
            for (Layout.Range x : t.mm.overlaps(s, to)) emit(new Op.Munmap(t.name, x.start(), x.end() - x.start()));
            t.mm.remove(s, to);
            unmapped = true;
        }
        settleMunmapMmap(t, unmapped, "mmap");
        emit(new Op.Mmap(t.name, s, e - s, prot, kind));
        t.mm.add(s, e, kind.type() == MapKind.Type.STACK ? Layout.STACK : 0);
        t.begin("mmap");
        if (unmapped) t.freeOp = "munmap";
        if (kind.type() == MapKind.Type.STACK && t.execPhase) {
            // the new program's arguments and environment were written at the top (no fault event)
            emit(new Op.Touch(t.name, e - 1, 1, true));
            execStackTop.put(t.mm, e);
            t.begin("touch");
        }
    }

    /**
     * The start of the one unmapped stretch of [start, end), when there is exactly one and it is len
     * pages long (an mmap that vma_merge_new_range joined to the VMAs on both sides); else -1.
     */
    private static long holeOf(Layout mm, long start, long end, long len) {
        long at = start, hole = -1;
        List<Layout.Range> over = mm.overlaps(start, end);
        for (int i = 0; i <= over.size(); i++) {
            long next = i < over.size() ? over.get(i).start() : end;
            if (next > at) {
                if (hole >= 0 || next - at != len) return -1;
                hole = at;
            }
            if (i < over.size()) at = over.get(i).end();
        }
        return hole;
    }

    private void mmapCall(Task t, MmapCall c, long ms, long me, Prot prot, String path, String dev, boolean sharedFlag)
            throws WorkloadException, IOException {
        long len = pagesUp(c.len);
        long flags = c.flags;
        boolean fixed = (flags & 0x10) != 0 || (flags & 0x100000) != 0;
        long s;
        if (len == 0 || len > me - ms) {
            truth.unrepresented("mmap whose MMAP2 line does not fit its arguments (MMAP2 range used)");
            s = ms;
            len = me - ms;
        } else if (fixed) {
            aligned(c.addr, "mmap MAP_FIXED addr");
            s = c.addr / PAGE;
            if (s < ms || s + len > me) {
                truth.unrepresented("mmap whose MMAP2 line does not fit its arguments (MMAP2 range used)");
                s = ms;
                len = me - ms;
            }
        } else if (len == me - ms || t.mm.free(ms, ms + len)) {
            s = ms; // a new VMA, or merged with the one after it
        } else if (t.mm.free(me - len, me)) {
            s = me - len; // merged with the one before it
        } else if (holeOf(t.mm, ms, me, len) >= 0) {
            s = holeOf(t.mm, ms, me, len); // merged with the ones before and after it: the hole between them
        } else {
            truth.unrepresented("mmap whose place could not be told (MMAP2 range used)");
            s = ms;
            len = me - ms;
        }
        boolean anon = (flags & 0x20) != 0 || path.startsWith("/dev/zero");
        boolean shared = (flags & 0x3) == 1 || (flags & 0x3) == 3;
        if ((flags & 0x3) == 0 && !anon) shared = sharedFlag;
        if ((flags & 0x40000) != 0) truth.unrepresented("MAP_HUGETLB mappings (written as small pages)");
        // do_mmap: MAP_NORESERVE gives VM_NORESERVE (with vm.overcommit_memory 0 or 1, as on the machines
        // recorded here), and calc_vm_flag_bits gives a MAP_STACK mapping VM_NOHUGEPAGE (Linux 6.7 on);
        // both change which VMAs merge, so the workload carries them as mmap FLAGS
        EnumSet<MapFlag> mapFlags = EnumSet.noneOf(MapFlag.class);
        if ((flags & 0x4000) != 0) mapFlags.add(MapFlag.NORESERVE);
        if ((flags & 0x20000) != 0) mapFlags.add(MapFlag.STACK);
        MapKind kind;
        if (anon) kind = shared ? MapKind.SHARED : (flags & 0x100) != 0 ? MapKind.STACK : MapKind.ANON;
        else {
            aligned(c.off, "mmap offset");
            kind = shared ? MapKind.sharedFile(fileName(path, dev), c.off / PAGE) : MapKind.file(fileName(path, dev), c.off / PAGE);
        }
        boolean unmapped = false;
        List<Layout.Range> over = t.mm.overlaps(s, s + len);
        if (!over.isEmpty()) {
            if (!fixed) truth.unrepresented("mmap over a known mapping without MAP_FIXED (inconsistent trace)");
            for (Layout.Range x : over) emit(new Op.Munmap(t.name, x.start(), x.end() - x.start()));
            t.mm.remove(s, s + len);
            unmapped = true;
        }
        settleMunmapMmap(t, unmapped, "mmap");
        emit(new Op.Mmap(t.name, s, len, prot, kind, mapFlags));
        t.mm.add(s, s + len, kind.type() == MapKind.Type.STACK ? Layout.STACK : 0);
        t.begin("mmap");
        // __mmap_region frees the VMAs it replaced after the new mapping is announced (vms_complete_munmap_vmas)
        if (unmapped) t.freeOp = "munmap";
        if ((flags & 0x8000) != 0 || (flags & 0x2000) != 0) {
            // MAP_POPULATE / MAP_LOCKED: populate_vma_page_range faults every page in, writing private
            // writable mappings to break CoW (mm/gup.c); no fault events come
            boolean w = prot.write && !kind.isShared();
            emit(new Op.Touch(t.name, s, len, w));
            count("MAP_POPULATE/MAP_LOCKED ranges written as touches");
            t.begin("touch");
            if (unmapped) t.freeOp = "munmap";
        }
    }

    /** A NAME for the format, stable per (device, inode): the path's safe characters and the inode. */
    private String fileName(String path, String dev) {
        String key = dev.endsWith(":0") ? path : dev;
        String have = fileNames.get(key);
        if (have != null) return have;
        String p = path.replaceAll(" \\(deleted\\)$", "");
        String base = p.replaceAll("[^A-Za-z0-9_.\\-/]", "_").replaceAll("^/+", "");
        if (base.isEmpty()) base = "file";
        if (base.length() > 120) base = base.substring(base.length() - 120);
        String name = dev.endsWith(":0") ? base : base + ".i" + dev.substring(dev.lastIndexOf(':') + 1);
        String n = name;
        for (int i = 2; usedFileNames.contains(n); i++) n = name + "." + i;
        usedFileNames.add(n);
        fileNames.put(key, n);
        return n;
    }

    private void finish() {
        for (Task t : tasks.values()) settle(t);
        for (var e : counters.entrySet()) truth.notes.add(e.getKey() + ": " + e.getValue());
    }

    // ------------------------------------------------------------------ parsing helpers

    private static String abbrev(String s) { return s.length() > 80 ? s.substring(0, 80) + "..." : s; }

    /** The value after {@code key} up to the next blank, or null. */
    private static String field(String payload, String key) {
        int i = payload.startsWith(key) ? 0 : payload.indexOf(" " + key);
        if (i < 0) return null;
        if (i > 0 || !payload.startsWith(key)) i++;
        int from = i + key.length(), to = payload.indexOf(' ', from);
        return payload.substring(from, to < 0 ? payload.length() : to);
    }

    private static String lastField(String payload, String key) {
        int i = payload.lastIndexOf(key);
        if (i < 0) return null;
        int from = i + key.length(), to = payload.indexOf(' ', from);
        return payload.substring(from, to < 0 ? payload.length() : to);
    }

    /** Syscall arguments: {@code name: 0xVALUE, name: 0xVALUE}. */
    private Map<String, Long> args(String payload) throws WorkloadException {
        Map<String, Long> out = new HashMap<>();
        for (String part : payload.split(", ")) {
            int c = part.indexOf(": ");
            if (c <= 0) throw error("malformed syscall arguments: '" + abbrev(payload) + "'");
            out.put(part.substring(0, c).trim(), parseHex(part.substring(c + 2).trim(), part.substring(0, c).trim()));
        }
        return out;
    }

    private long arg(Map<String, Long> a, String name) throws WorkloadException {
        Long v = a.get(name);
        if (v == null) throw error("syscall argument '" + name + "' missing");
        return v;
    }

    private int parseInt(String s, String what) throws WorkloadException {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw error("bad " + what + " '" + abbrev(s) + "'");
        }
    }

    /** Hex, with or without 0x (task_newtask prints clone_flags without it). */
    private long parseHex(String s, String what) throws WorkloadException {
        String d = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        if (d.isEmpty() || d.length() > 16) throw error("bad " + what + " '" + abbrev(s) + "'");
        long v = 0;
        for (int i = 0; i < d.length(); i++) {
            int x = Character.digit(d.charAt(i), 16);
            if (x < 0) throw error("bad " + what + " '" + abbrev(s) + "'");
            v = v << 4 | x;
        }
        return v;
    }

    private long parseDecimal(String s, String what) throws WorkloadException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw error("bad " + what + " '" + abbrev(s) + "'");
        }
    }

    private void aligned(long bytes, String what) throws WorkloadException {
        if (bytes % PAGE != 0) throw error(what + " 0x" + Long.toHexString(bytes) + " is not page-aligned");
    }

    private static long pageUp(long bytes) { return (bytes + PAGE - 1) & -PAGE; }

    private long pagesUp(long bytes) throws WorkloadException {
        if (Long.compareUnsigned(bytes, Long.MAX_VALUE - PAGE) > 0) throw error("length 0x" + Long.toHexString(bytes) + " too large");
        return pageUp(bytes) / PAGE;
    }

    /**
     * PROT_* bits as the format's protection. Without PROT_READ the VMA has no VM_READ
     * (calc_vm_prot_bits), though x86 maps it readable: written as such (-w-, -wx, --x), since the
     * missing VM_READ keeps it from merging with a readable neighbour.
     */
    private Prot prot(long bits) {
        boolean r = (bits & 1) != 0, w = (bits & 2) != 0, x = (bits & 4) != 0;
        if (!r) return w ? (x ? Prot.WX : Prot.W) : x ? Prot.X : Prot.NONE;
        if (w && x) return Prot.RWX;
        if (w) return Prot.RW;
        if (x) return Prot.RX;
        return Prot.R;
    }

    private Prot prot(String rwx) {
        return prot((rwx.charAt(0) == 'r' ? 1 : 0) | (rwx.charAt(1) == 'w' ? 2 : 0) | (rwx.charAt(2) == 'x' ? 4 : 0));
    }
}
