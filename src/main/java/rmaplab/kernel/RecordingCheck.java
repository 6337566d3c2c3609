package rmaplab.kernel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import rmaplab.ledger.ObjectFigures;
import rmaplab.record.Truth;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.WorkloadException;

/**
 * Compares the `linux` design with the kernel on a recorded workload: the
 * model runs the workload the importer wrote, and its allocations and frees
 * of anon_vma, anon_vma_chain and vm_area_struct, per workload op, are set
 * against the kernel's own counts from the recording's kmem tracepoints (the
 * truth file beside the workload). No root, no perf: it works anywhere.
 *
 * <p>What the recording cannot hold is left out of the comparison rather than
 * guessed: frees at process exit (perf switches a task's events off before
 * exit_mmap). Differences between ops that have a known cause (the kernel
 * does at exec what the workload writes as later ops; events the importer
 * could not attribute) are matched by amount and explained; what is left is
 * reported as unexplained.
 */
public final class RecordingCheck {
    private RecordingCheck() {}

    /** Relative tolerance on a kind's allocated total, and on what is left unexplained. */
    public static final double TOLERANCE = 0.02;

    /** One line of the table: model and kernel allocations and frees of one kind during one op. */
    public record Row(String kind, String op, long modelAllocated, long kernelAllocated, long modelFreed,
                      long kernelFreed, boolean freesRecorded) {}

    /**
     * Totals of one kind. {@code modelFreed} and {@code kernelFreed} count the
     * ops whose frees are recorded only; {@code unexplained} is the sum of the
     * differences (allocations and recorded frees, by op) that no known cause
     * accounts for; {@code byOpEqual} whether there was no difference at all;
     * {@code beforeRecording} the model's allocations for what the kernel made
     * before the recording started (not compared).
     */
    public record KindResult(String kind, long modelAllocated, long kernelAllocated, long modelFreed, long kernelFreed,
                             long unexplained, boolean byOpEqual, long beforeRecording, long kernelFailed) {
        /** The model's allocations that the recording could have seen (those of stacks made before it left out). */
        public long modelRecordable() { return modelAllocated - beforeRecording; }

        /** The kernel's allocations that the workload has ops for (those of failed syscalls left out). */
        public long kernelComparable() { return kernelAllocated - kernelFailed; }

        public boolean totalWithinTolerance() { return withinTolerance(modelRecordable() - kernelComparable(), kernelComparable()); }

        public boolean unexplainedWithinTolerance() { return withinTolerance(unexplained, kernelComparable()); }

        public boolean ok() { return totalWithinTolerance() && unexplainedWithinTolerance(); }

        /** Equal op by op, allocations and recorded frees: nothing to explain. */
        public boolean equal() { return byOpEqual; }
    }

    /**
     * The result for one recorded workload.
     *
     * @param explanations one line per difference with a known cause, with its amount
     * @param unexplained one line per difference left over
     * @param possibleCauses what the truth file says could not be represented or recorded
     */
    public record Result(String file, Truth truth, boolean zeroPage, List<Row> rows, List<KindResult> kinds,
                         List<String> explanations, List<String> unexplained, List<String> possibleCauses,
                         boolean oracleOk, long ops) {
        /** Whether the recording was not whole (its truth names damage): then nothing is ok or equal. */
        public boolean damaged() { return truth.damaged(); }

        public boolean ok() { return !damaged() && oracleOk && kinds.stream().allMatch(KindResult::ok); }

        public boolean equal() { return !damaged() && oracleOk && kinds.stream().allMatch(KindResult::equal); }
    }

    static boolean withinTolerance(long diff, long kernel) {
        return Math.abs(diff) <= (long) Math.floor(TOLERANCE * kernel);
    }

    /** Runs the linux model on {@code workload} and compares it with {@code truth}. */
    public static Result check(Path workload, Truth truth, MachineConfig cfg) throws IOException, WorkloadException {
        OpSource src = OpSource.file(workload);
        Runner.validate(src, cfg);
        RunResult model = Runner.run(src, "linux", cfg, CheckMode.END);
        return compare(workload.toString(), truth, model.ledgers().objects().byOp(), cfg.zeroPage(), model.ok(), model.ops(),
                stacksBeforeRecording(src));
    }

    /**
     * The stacks of processes that were already running when the recording
     * started (written as {@code spawn}: perf starts the command at its exec)
     * when their first mapping is the stack: exec made that stack's VMA and
     * the anon_vma of its first pages (bprm_mm_init, copy_strings) before the
     * events were switched on, so the kernel's counts lack them while the
     * model makes a VMA at the mmap and, if the workload touches the stack,
     * an anon_vma and its chain at the first touch.
     *
     * @return {stacks mapped, stacks touched}
     */
    static int[] stacksBeforeRecording(OpSource src) throws IOException, WorkloadException {
        java.util.Set<String> fresh = new java.util.HashSet<>();
        Map<String, long[]> stack = new java.util.HashMap<>(); // task -> [start, end) of its stack, until first touched
        int mapped = 0, touched = 0;
        try (OpSource.Cursor c = src.open()) {
            for (rmaplab.workload.Op op; (op = c.next()) != null; ) {
                switch (op) {
                    case rmaplab.workload.Op.Spawn sp -> fresh.add(sp.task());
                    case rmaplab.workload.Op.Mmap m -> {
                        if (fresh.remove(m.task()) && m.kind().type() == rmaplab.workload.MapKind.Type.STACK) {
                            mapped++;
                            stack.put(m.task(), new long[] {m.addr(), m.addr() + m.len()});
                        }
                    }
                    case rmaplab.workload.Op.Touch t -> {
                        long[] r = stack.get(t.task());
                        if (r != null && t.addr() < r[1] && t.addr() + t.len() > r[0]) {
                            touched++;
                            stack.remove(t.task());
                        }
                    }
                    case rmaplab.workload.Op.Exec e -> {
                        fresh.remove(e.task());
                        stack.remove(e.task());
                    }
                    case rmaplab.workload.Op.Exit e -> {
                        fresh.remove(e.task());
                        stack.remove(e.task());
                    }
                    default -> { }
                }
            }
        }
        return new int[] {mapped, touched};
    }

    /** The comparison proper, on the model's per-op ledger. */
    static Result compare(String file, Truth truth, Map<String, Map<String, ObjectFigures.OpCost>> modelByOp,
                          boolean zeroPage, boolean oracleOk, long ops, int[] stacksBefore) {
        List<Row> rows = new ArrayList<>();
        List<KindResult> kinds = new ArrayList<>();
        List<String> explained = new ArrayList<>(), unexplained = new ArrayList<>();
        for (String kind : Probe.KINDS) {
            Truth.Kind tk = truth.kinds().get(kind);
            Map<String, Long> mAlloc = new TreeMap<>(), mFree = new TreeMap<>();
            for (var e : modelByOp.entrySet()) {
                ObjectFigures.OpCost c = e.getValue().get(kind);
                if (c == null) continue;
                if (c.allocated() != 0) mAlloc.put(e.getKey(), c.allocated());
                if (c.freed() != 0) mFree.put(e.getKey(), c.freed());
            }
            TreeSet<String> opsSeen = new TreeSet<>(Comparator.comparing(RecordingCheck::opOrder).thenComparing(s -> s));
            opsSeen.addAll(mAlloc.keySet());
            opsSeen.addAll(mFree.keySet());
            opsSeen.addAll(tk.allocated().byOp().keySet());
            opsSeen.addAll(tk.freed().byOp().keySet());
            long mA = 0, mF = 0, kF = 0;
            boolean byOpEqual = true;
            Map<String, Long> allocDiff = new LinkedHashMap<>(), freeDiff = new LinkedHashMap<>();
            for (String op : opsSeen) {
                long ma = mAlloc.getOrDefault(op, 0L), ka = tk.allocated().op(op);
                long mf = mFree.getOrDefault(op, 0L), kf = tk.freed().op(op);
                boolean recorded = freesRecorded(truth, op);
                rows.add(new Row(kind, op, ma, ka, mf, kf, recorded));
                mA += ma;
                if (ma != ka || (recorded && mf != kf)) byOpEqual = false;
                allocDiff.put(op, ma - ka);
                if (recorded) {
                    mF += mf;
                    kF += kf;
                    freeDiff.put(op, mf - kf);
                }
            }
            long before = explainStacksBefore(kind, kind.equals("vm_area_struct") ? stacksBefore[0] : stacksBefore[1],
                    stacksBefore[0], allocDiff, explained);
            explainAllocations(kind, allocDiff, explained);
            explainUnattributed(kind, "freed", freeDiff, explained);
            explainFailed(kind, allocDiff, freeDiff, explained);
            long left = 0;
            for (var e : allocDiff.entrySet())
                if (e.getValue() != 0) {
                    left += Math.abs(e.getValue());
                    unexplained.add(kind + " allocated at " + e.getKey() + ": the model " + more(e.getValue()));
                }
            for (var e : freeDiff.entrySet())
                if (e.getValue() != 0) {
                    left += Math.abs(e.getValue());
                    unexplained.add(kind + " freed at " + e.getKey() + ": the model " + more(e.getValue()));
                }
            kinds.add(new KindResult(kind, mA, tk.allocated().total(), mF, kF, left, byOpEqual, before,
                    tk.allocated().op(Truth.FAILED)));
        }
        if (!truth.exitFreesRecorded())
            explained.add("frees at exit are not recorded (perf switches a task's events off before exit_mmap): "
                    + "the model's frees at exit are shown, not compared");
        List<String> causes = new ArrayList<>();
        // a recording cut short or missing lines holds part of a program: its counts cannot vouch for the model
        List<String> damage = new ArrayList<>();
        for (Truth.Damage d : truth.damage())
            damage.add("the recording is damaged: " + truth.recording() + ":" + d.line() + ": " + d.what()
                    + (d.count() > 1 ? " (" + d.count() + " times; the first here)" : ""));
        unexplained.addAll(0, damage);
        if (!truth.unrepresented().isEmpty())
            causes.add("unrepresented events (in the recording, not expressible in the workload): " + join(truth.unrepresented()));
        if (!truth.excluded().isEmpty())
            causes.add("left out of the kernel's counts as not ours (shared slab cache): " + join(truth.excluded()));
        for (String n : truth.notes()) causes.add("importer: " + n);
        return new Result(file, truth, zeroPage, List.copyOf(rows), List.copyOf(kinds), List.copyOf(explained),
                List.copyOf(unexplained), List.copyOf(causes), oracleOk, ops);
    }

    /** Whether the recording holds the kernel's frees during this op. */
    static boolean freesRecorded(Truth truth, String op) { return truth.exitFreesRecorded() || !op.equals("exit"); }

    /**
     * The stacks made before the recording started (see
     * {@link #stacksBeforeRecording}): the model's {@code n} objects for them
     * at mmap (the VMA) or touch (anon_vma, chain) are taken off the
     * comparison, whatever the difference at that op.
     */
    private static long explainStacksBefore(String kind, int n, int stacks, Map<String, Long> diff, List<String> out) {
        if (n == 0) return 0;
        String op = kind.equals("vm_area_struct") ? "mmap" : "touch";
        diff.put(op, diff.getOrDefault(op, 0L) - n);
        out.add(kind + ": the model's " + n + " at " + op + " for the stack of the recorded command (" + stacks
                + " process(es) already running when the recording started): exec made it before perf switched the events on;"
                + " left out of the comparison");
        return n;
    }

    /**
     * Explains allocation differences with a known cause, taking the amount
     * explained off {@code diff} (model minus kernel, by op).
     */
    private static void explainAllocations(String kind, Map<String, Long> diff, List<String> out) {
        long atExec = -diff.getOrDefault("exec", 0L);
        if (atExec > 0) {
            // The kernel makes objects inside execve that the workload writes as ops after the exec.
            boolean vma = kind.equals("vm_area_struct");
            String later = vma ? "mmap" : "touch";
            long moved = Math.min(atExec, Math.max(0, diff.getOrDefault(later, 0L)));
            diff.put("exec", 0L);
            if (moved > 0) diff.put(later, diff.get(later) - moved);
            String why = vma
                    ? "exec maps the new stack, the program and its interpreter itself (bprm_mm_init and load_elf_binary: "
                      + "vm_area_alloc inside execve)"
                    : "exec's new stack gets its first pages without a page fault (copy_strings writes the arguments and "
                      + "the environment: __anon_vma_prepare inside execve)";
            out.add(kind + ": the kernel's " + atExec + " at exec: " + why
                    + (moved > 0 ? "; the model makes " + moved + " of them at the " + later + " lines the importer wrote for it" : "")
                    + (moved < atExec ? "; " + (atExec - moved) + " have no " + later + " surplus in the model to match" : ""));
        }
        explainUnattributed(kind, "allocated", diff, out);
    }

    /**
     * The kernel's events the importer put under "unattributed": they
     * explain themselves, and up to their number of the model's surplus at
     * other ops (those events belong to some op the kernel ran).
     */
    private static void explainUnattributed(String kind, String what, Map<String, Long> diff, List<String> out) {
        long u = -diff.getOrDefault(Truth.UNATTRIBUTED, 0L);
        if (u <= 0) return;
        diff.put(Truth.UNATTRIBUTED, 0L);
        long left = u;
        List<String> covered = new ArrayList<>();
        List<Map.Entry<String, Long>> surplus = new ArrayList<>(diff.entrySet());
        surplus.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        for (var e : surplus) {
            if (left == 0 || e.getValue() <= 0) break;
            long take = Math.min(left, e.getValue());
            diff.put(e.getKey(), e.getValue() - take);
            left -= take;
            covered.add(take + " at " + e.getKey());
        }
        out.add(kind + ": the kernel's " + u + " " + what + " under '" + Truth.UNATTRIBUTED + "' (events the importer could "
                + "not tie to an op)" + (covered.isEmpty() ? "" : "; they stand for the model's surplus of " + String.join(", ", covered)));
    }

    /**
     * The kernel's events under "failed": objects a syscall made and freed before failing (the importer
     * saw the call end without its mapping). The workload writes no op for a failed call, so they explain
     * themselves, and nothing at any other op.
     */
    private static void explainFailed(String kind, Map<String, Long> allocDiff, Map<String, Long> freeDiff, List<String> out) {
        long a = -allocDiff.getOrDefault(Truth.FAILED, 0L), f = -freeDiff.getOrDefault(Truth.FAILED, 0L);
        if (a == 0 && f == 0) return;
        allocDiff.put(Truth.FAILED, 0L);
        freeDiff.put(Truth.FAILED, 0L);
        out.add(kind + ": the kernel's " + a + " allocated and " + f + " freed under '" + Truth.FAILED + "' (inside syscalls "
                + "that failed, e.g. an mmap whose VMA __mmap_region freed on its error path): the workload has no op for "
                + "them; left out of the comparison");
    }

    private static String more(long d) {
        return d > 0 ? "has " + d + " more than the kernel" : "has " + (-d) + " fewer than the kernel";
    }

    private static String join(Map<String, Long> m) {
        List<String> s = new ArrayList<>();
        m.forEach((k, v) -> s.add(k + " " + v));
        return String.join(", ", s);
    }

    /** Ops in the order a program meets them; anything else after. */
    private static int opOrder(String op) {
        int i = List.of("spawn", "exec", "mmap", "touch", "mprotect", "mremap", "madvise", "munmap", "fork", "vfork",
                "thread", "exit", Truth.UNATTRIBUTED, Truth.FAILED).indexOf(op);
        return i < 0 ? 100 : i;
    }

    /** A difference as a signed count and per cent of the kernel's figure ("" when equal). */
    public static String diff(long model, long kernel) {
        if (model == kernel) return "";
        String s = (model > kernel ? "+" : "") + (model - kernel);
        if (kernel != 0) s += String.format(Locale.ROOT, " (%+.1f %%)", 100.0 * (model - kernel) / kernel);
        return s;
    }
}
