package rmaplab.oracle;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import rmaplab.sim.Machine;
import rmaplab.sim.Mm;
import rmaplab.sim.Pte;
import rmaplab.sim.WalkResult;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadWriter;

/**
 * Checks reverse walks against the page tables. Every walk the machine makes
 * is checked as it happens (a miss or a phantom is a violation); a sweep
 * walks every live anonymous folio, with the ledgers muted so that the
 * oracle's own walks are not counted as the workload's.
 *
 * <p>Ground truth: a visit is a hit only when the visited page's PTE maps the
 * folio; the folio's mapcount, kept by the simulated kernel, is recomputed
 * from the page tables in {@link #verifyMapcounts} so that the truth does not
 * depend on the kernel's own bookkeeping.
 */
public final class Oracle implements Machine.WalkObserver {
    private final Machine machine;
    private final List<Violation> violations = new ArrayList<>();
    private long opIndex;
    /** The op about to run: a String, or an {@link Op} formatted only when a violation is kept. */
    private Object op = "";
    private String during = "walk";
    private long checkedWalks;
    private final int limit;

    /** @param limit how many violations to keep (the count goes on) */
    public Oracle(Machine machine, int limit) {
        this.machine = machine;
        this.limit = limit;
        machine.setObserver(this);
    }

    private long count;

    /** The op about to run (for reports). */
    public void at(long opIndex, String op) {
        this.opIndex = opIndex;
        this.op = op;
    }

    /** The op about to run; written as a workload line only if a walk during it is kept as a violation. */
    public void at(long opIndex, Op op) {
        this.opIndex = opIndex;
        this.op = op;
    }

    private String opText() { return op instanceof Op o ? WorkloadWriter.format(o) : (String) op; }

    @Override public void walked(WalkResult r) {
        checkedWalks++;
        if (!r.ok()) {
            count++;
            if (violations.size() < limit) violations.add(new Violation(opIndex, opText(), r, during));
        }
    }

    /** Walks every live anonymous folio; returns the number of violations found by this sweep. */
    public long sweep() {
        long before = count;
        machine.ledgers().mute(true);
        during = "sweep";
        try {
            for (int f : machine.liveFolios()) machine.walk(f, null);
        } finally {
            during = "walk";
            machine.ledgers().mute(false);
        }
        return count - before;
    }

    /**
     * Recounts every anonymous folio's mappings from the page tables of the
     * live mms and compares with the kernel's mapcounts. Returns a description
     * of the first difference, or null. (A check of the simulated kernel itself.)
     */
    public String verifyMapcounts() {
        // counts by folio id in an array kept between calls (was a hash map made per call); only the ids
        // counted are set back to 0 afterwards
        int[] truth = mapped.length >= machine.folios().limit() ? mapped : new int[machine.folios().limit()];
        mapped = truth;
        IntArrayList seen = counted;
        seen.clear();
        for (Mm mm : machine.liveMms())
            mm.pageTable().forEach(0, Long.MAX_VALUE, (vp, pte) -> {
                if (!Pte.isAnon(pte)) return;
                int id = Pte.id(pte);
                if (id >= mapped.length) mapped = java.util.Arrays.copyOf(mapped, Math.max(id + 1, 2 * mapped.length));
                if (mapped[id]++ == 0) counted.add(id);
            });
        truth = mapped;
        try {
            for (int f : machine.liveFolios()) {
                int t = truth[f];
                if (t != machine.folios().mapcount(f))
                    return "folio " + f + ": page tables map it " + t + " times, kernel mapcount " + machine.folios().mapcount(f);
                if (t == 0) return "folio " + f + " is live but mapped nowhere";
            }
            int freed = Integer.MAX_VALUE; // the lowest id mapped but freed
            for (int i = 0; i < seen.size(); i++) if (!machine.folios().live(seen.getInt(i))) freed = Math.min(freed, seen.getInt(i));
            return freed == Integer.MAX_VALUE ? null : "folio " + freed + " is mapped but was freed";
        } finally {
            for (int i = 0; i < seen.size(); i++) truth[seen.getInt(i)] = 0;
        }
    }

    private int[] mapped = new int[0];
    private final IntArrayList counted = new IntArrayList();

    public List<Violation> violations() { return Collections.unmodifiableList(violations); }

    public long violationCount() { return count; }

    public long checkedWalks() { return checkedWalks; }
}
