package rmaplab.record;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import rmaplab.workload.WorkloadException;

/**
 * The checks that tell a recording perf wrote from one cut short, reordered, or with lines missing
 * or repeated (issue #16). Some damage leaves no doubt and is refused with {@code FILE:LINE}: a last
 * line without its newline, time going backwards, a line repeated exactly, a recording that ends
 * before the recorded command exits. The rest is counted in the truth's {@code damage} with the line
 * it was first seen at (the import goes on, and kernel-check will not call the model equal to the
 * kernel): the checks here on kmem events, and those the importer makes as it follows tasks and
 * syscalls ({@link ImportContext#damage}).
 *
 * <p>Every check holds on every recording of this event set that perf wrote whole (the shipped
 * ones and the test ones are checked by the tests): perf script sorts the events by time; a task's
 * events come in the order it made them; and the kernel makes kmem events in fixed pairs.
 */
final class DamageCheck {
    private final ImportContext ctx;
    private String lastText;
    private long lastTime = Long.MIN_VALUE, lastTimeLine;
    private String lastTimeText;
    /** Per tid, the task's previous event when it was a kmem allocation, as CACHE@SITE (else absent). */
    private final Map<Integer, String> previous = new HashMap<>();
    /**
     * Per tid, whether __anon_vma_prepare may come now: after a page fault (once), or during an mmap with
     * MAP_POPULATE or MAP_LOCKED or a madvise MADV_POPULATE_* (populate_vma_page_range, any number). It may
     * also come right after the new stack's vm_area_alloc in an exec (copy_strings writes the stack through
     * get_user_pages).
     */
    private final Map<Integer, Integer> prepareMay = new HashMap<>();
    private static final int ONCE = 1, MANY = 2;
    /** Per tid, the line of an anon_vma_fork anon_vma whose anon_vma_chain must come next. */
    private final Map<Integer, Long> forkChainDue = new TreeMap<>();

    DamageCheck(ImportContext ctx) { this.ctx = ctx; }

    /** Checks one parsed line against the ones before it; {@code text} is the line as read. */
    void line(PerfLineParser.PerfLine p, String text) throws WorkloadException {
        long t = nanos(p.time());
        if (t < lastTime)
            throw ctx.error("time goes backwards: " + p.time() + " here, " + lastTimeText + " at line " + lastTimeLine
                    + " (perf script sorts events by time: lines are out of order, or one of them is damaged)");
        lastTime = t;
        lastTimeText = p.time();
        lastTimeLine = p.number();
        // a page fault can come again at once (a fault retried in copy_folio_from_iter_atomic); a touch
        // repeated changes nothing in the workload. Nothing else can happen twice in the same microsecond:
        // every kmem event has its own ptr=, a syscall or a record its own effect.
        if (text.equals(lastText) && !(p.event() instanceof PerfEvent.Fault))
            throw ctx.error("this line repeats line " + (p.number() - 1) + " exactly (nothing but a page fault can "
                    + "happen twice in one microsecond: a duplicated line)");
        lastText = text;
        pairs(p);
    }

    /**
     * The kmem events the kernel makes in pairs, in the task that makes them: __anon_vma_prepare
     * allocates the anon_vma_chain first and then, when no neighbour's anon_vma can be shared
     * (find_mergeable_anon_vma), the anon_vma; anon_vma_fork clones the parent VMA's chains
     * (anon_vma_clone), then allocates the child's anon_vma and its anon_vma_chain (mm/rmap.c). A
     * second of a pair without its first is a missing line.
     */
    private void pairs(PerfLineParser.PerfLine p) {
        int tid = p.tid();
        String sig = p.event() instanceof PerfEvent.Kmem k && k.alloc()
                ? k.cache() + "@" + k.site() : null;
        Long due = forkChainDue.remove(tid);
        if (due != null && !"anon_vma_chain@anon_vma_fork".equals(sig))
            ctx.truth.damage("an anon_vma allocated by anon_vma_fork without its anon_vma_chain after it (a line missing)", due);
        String before = previous.remove(tid);
        prepare(p, sig, before);
        // dup_mmap copies VMA after VMA (vm_area_dup first); the fork's PERF_RECORD_FORK comes after the last
        if ("anon_vma_chain@anon_vma_fork".equals(before)
                && !(sig == null ? p.event() instanceof PerfEvent.Fork : sig.equals("vm_area_struct@vm_area_dup")))
            ctx.damage("a fork's VMA copies with a line missing (vm_area_dup or PERF_RECORD_FORK)");
        if (sig == null) return;
        if (sig.equals("anon_vma@__anon_vma_prepare") && !"anon_vma_chain@__anon_vma_prepare".equals(before))
            ctx.damage("an anon_vma allocated by __anon_vma_prepare without its anon_vma_chain before it (a line missing)");
        if (sig.equals("anon_vma_chain@anon_vma_fork") && !"anon_vma@anon_vma_fork".equals(before))
            ctx.damage("an anon_vma_chain allocated by anon_vma_fork without its anon_vma before it (a line missing)");
        if (sig.equals("anon_vma@anon_vma_fork")) {
            // anon_vma_fork clones the parent VMA's chains first (anon_vma_clone): it has one at least
            if (!"anon_vma_chain@anon_vma_clone".equals(before))
                ctx.damage("an anon_vma allocated by anon_vma_fork without the anon_vma_chains of anon_vma_clone before it (a line missing)");
            forkChainDue.put(tid, p.number());
        }
        // anon_vma_clone copies the chains of a VMA just copied (__split_vma, dup_mmap: vm_area_dup), one after
        // another, or of a VMA a merge extends (dup_anon_vma), first thing in its syscall
        if (sig.equals("anon_vma_chain@anon_vma_clone") && before != null
                && !before.equals("vm_area_struct@vm_area_dup") && !before.equals("anon_vma_chain@anon_vma_clone"))
            ctx.damage("anon_vma_chains of anon_vma_clone with no VMA copy (vm_area_dup) before them (a line missing)");
        previous.put(tid, sig);
    }

    /**
     * __anon_vma_prepare runs inside a page fault (vmf_anon_prepare) or inside get_user_pages: its
     * anon_vma_chain, the first of its lines, with neither before it shows the fault's line missing.
     * (A page the kernel writes through get_user_pages for a call outside the event set, such as
     * O_DIRECT or process_vm_writev into memory never touched, shows the same: the workload has no
     * touch for it either.)
     */
    private void prepare(PerfLineParser.PerfLine p, String sig, String before) {
        int tid = p.tid();
        switch (p.event()) {
            case PerfEvent.Fault f -> prepareMay.put(tid, ONCE);
            case PerfEvent.Kmem k -> {
                if (!"anon_vma_chain@__anon_vma_prepare".equals(sig)) return;
                Integer may = prepareMay.get(tid);
                if (may == null && !"vm_area_struct@vm_area_alloc".equals(before))
                    ctx.damage("anon_vma_chains of __anon_vma_prepare with no page fault line before them (missing)");
                else if (may != null && may == ONCE) prepareMay.remove(tid);
            }
            case PerfEvent.SysEnter e -> {
                long flags = e.args().getOrDefault("flags", 0L), advice = e.args().getOrDefault("behavior", 0L);
                boolean populates = e.call().equals("mmap") && (flags & (0x8000 | 0x2000)) != 0
                        || e.call().equals("madvise") && (advice == 22 || advice == 23);
                if (populates) prepareMay.put(tid, MANY);
                else prepareMay.remove(tid);
            }
            case PerfEvent.Mmap2 m -> { } // a populating mmap's, or a stack the fault grew, comes before the pages
            default -> prepareMay.remove(tid);
        }
    }

    /**
     * At the end of the recording: refused when the recorded command has not exited (perf stops
     * recording when it does: a recording without its exit was cut short); tasks still alive are
     * counted as damage (their exit lines are missing, or they outlived the command).
     */
    void end(TaskTracker tasks, int lastByte) throws WorkloadException {
        if (lastByte >= 0 && lastByte != '\n')
            throw ctx.error("the last line has no newline at its end: the recording was cut short in the middle of a line");
        for (long due : forkChainDue.values())
            ctx.truth.damage("an anon_vma allocated by anon_vma_fork without its anon_vma_chain after it (a line missing)", due);
        forkChainDue.clear();
        TracedTask command = null;
        for (TracedTask t : tasks.live())
            if (t.pid == tasks.commandPid() && (command == null || t.tid < command.tid)) command = t;
        if (command != null)
            throw ctx.error("the recording ends before the recorded command exits (" + command.name + ", started at line "
                    + tasks.commandLine() + ", has no PERF_RECORD_EXIT; perf records until it exits): it was cut short");
        for (TracedTask t : tasks.live())
            ctx.damage("tasks alive at the end of the recording (their PERF_RECORD_EXIT lines are missing, or they "
                    + "outlived the recorded command)");
    }

    /** A perf timestamp (seconds.fraction) in nanoseconds. */
    private long nanos(String time) throws WorkloadException {
        int dot = time.indexOf('.');
        String s = time.substring(0, dot), f = time.substring(dot + 1);
        if (s.length() > 9 || f.length() > 9) throw ctx.error("bad time '" + time + "'");
        return Long.parseLong(s) * 1_000_000_000L + Long.parseLong((f + "000000000").substring(0, 9));
    }
}
