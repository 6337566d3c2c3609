package rmaplab.sim;

import java.util.Arrays;
import rmaplab.workload.Op;

/**
 * What the runner's first pass over a workload learns about its future forks:
 * for every process, the op after which it never forks again, and for every
 * mm, the op after which no fork ever copies it again. A clairvoyant design
 * ({@code leaf-bound}) asks this instead of waiting for a promise.
 *
 * <p>Ops are numbered from 1 in stream order, as {@link rmaplab.sim.Machine#opIndex()}
 * counts them. Processes and mms are named by their pid and mm id, which the
 * simulated kernel hands out in the same order on every machine that runs the
 * same ops (they do not depend on the design). Memory: two longs per process
 * and per mm ever made, whatever the length of the workload.
 *
 * <p>What "forks" means:
 * <ul>
 * <li>A process forks when any of its tasks (its threads included) runs
 *     {@code fork} or {@code vfork}: the promise of {@code nofork} belongs to
 *     the whole process and forbids both (WORKLOAD_FORMAT.md).</li>
 * <li>An mm is copied only by {@code fork} (dup_mmap), by whichever task uses
 *     it: a thread of the process, or a vfork child that still shares its
 *     parent's mm (before it execs). {@code vfork} itself copies nothing, and
 *     a vfork child that has exec'd forks its own new mm.</li>
 * </ul>
 * The second is what the reverse map needs: a folio mapped only in an mm that
 * no fork will copy again can never be mapped anywhere else.
 */
public final class ForkSchedule {
    /** lastFork[pid], lastCopy[mmId]: the op number of the last such fork, 0 for none. */
    private long[] lastFork = new long[64], lastCopy = new long[64];
    private long ops;

    /** A schedule with no forks at all (every process and mm is a leaf from its birth). */
    public static ForkSchedule none() { return new ForkSchedule(); }

    /**
     * Records op number {@code index} before the first pass applies it, while
     * {@code task} (the op's task, or null when it does not exist) still has its
     * process and mm as they were before the op.
     */
    public void record(long index, Op op, Task task) {
        ops = Math.max(ops, index);
        if (task == null) return;
        switch (op) {
            case Op.Fork f -> {
                lastFork = set(lastFork, task.process().pid(), index);
                lastCopy = set(lastCopy, task.mm().id(), index);
            }
            case Op.Vfork v -> lastFork = set(lastFork, task.process().pid(), index);
            default -> { }
        }
    }

    private static long[] set(long[] a, int i, long v) {
        if (i >= a.length) a = Arrays.copyOf(a, Math.max(i + 1, a.length * 2));
        a[i] = v;
        return a;
    }

    private static long get(long[] a, int i) { return i < a.length ? a[i] : 0; }

    /** Ops the first pass saw. */
    public long ops() { return ops; }

    /** The op number of the process's last fork or vfork, 0 when it never forks. */
    public long lastFork(int pid) { return get(lastFork, pid); }

    /** The op number of the last fork that copies the mm, 0 when none does. */
    public long lastCopy(int mmId) { return get(lastCopy, mmId); }

    /**
     * Whether the process forks (or vforks) at op {@code now} or later. During
     * its last fork the answer is still yes; from the next op on it is a leaf.
     */
    public boolean forksAgain(Process p, long now) { return lastFork(p.pid()) >= now; }

    /** Whether a fork copies the mm at op {@code now} or later (the fork being applied counts). */
    public boolean copiedAgain(Mm mm, long now) { return lastCopy(mm.id()) >= now; }
}
