package rmaplab.race;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import rmaplab.ledger.Ledgers;
import rmaplab.oracle.Oracle;
import rmaplab.sim.DesignContext;
import rmaplab.sim.ForkSchedule;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.Mm;
import rmaplab.sim.Pte;
import rmaplab.sim.RmapDesign;
import rmaplab.sim.Task;
import rmaplab.sim.WorkloadError;
import rmaplab.steps.LockClass;
import rmaplab.steps.StepObserver;
import rmaplab.steps.Steps;
import rmaplab.workload.Op;

/**
 * One run of a race workload under one schedule. Ops outside a group run one
 * after another on the calling thread (no scheduler: the hooks are no-ops).
 * The tasks of a group each run on a thread of their own, but only one at a
 * time: every hook ({@link Steps}) pauses the task, and this coordinator
 * picks, through the {@link Chooser}, which enabled task performs its pending
 * hook and runs on to its next one. A task waiting for a lock is not enabled.
 * Around each op the task holds its mm's mmap_lock in the mode the syscall
 * takes it. The oracle under concurrency runs as the steps go (docs/races.md).
 */
public final class Execution implements StepObserver {
    private final Machine m;
    private final List<RaceFile.Unit> units;
    private final Chooser chooser;

    private final ReentrantLock lk = new ReentrantLock();
    private final Condition cv = lk.newCondition();
    private final ThreadLocal<Worker> me = new ThreadLocal<>();
    private Worker running, last;
    private boolean aborted;
    private int point;

    final List<Step> trace = new ArrayList<>();
    final List<RaceViolation> violations = new ArrayList<>();
    /** Lock-order edges "A -> B": B taken while A was held, with the task and function that did it. */
    final Map<String, String> orderEdges = new LinkedHashMap<>();
    /** Per lock class: acquisitions, waits (an attempt that found the lock held by another task). */
    final Map<String, long[]> contention = new LinkedHashMap<>();
    int longestWaitChain;
    /** Points where more than one task was enabled (a real choice). */
    final List<Integer> choicePoints = new ArrayList<>();
    final List<List<String>> enabledAt = new ArrayList<>();
    /** Per point: the task the non-preemptive schedule would run, and the one that ran. */
    final List<String> defaults = new ArrayList<>(), chosen = new ArrayList<>();

    private enum Kind { START, LOCK, TRYLOCK, UNLOCK, STEP, SLEEP, WRITE }

    private record Pending(Kind kind, LockClass c, long id, Mode mode, String fn, String what) {}

    private record Key(LockClass c, long id) {
        @Override public String toString() { return shortName(c) + "#" + id; }
    }

    private static final class LockState {
        String writer;
        int writeDepth;
        final Map<String, Integer> readers = new LinkedHashMap<>();
    }

    private final class Worker {
        final String task;
        final List<Op> ops = new ArrayList<>();
        Pending pending;
        boolean done, result, counted;
        int rcu;
        final List<Key> held = new ArrayList<>();
        Watch walk;
        Thread thread;

        Worker(String task) { this.task = task; }
    }

    /** A walk in progress: the mappings that existed at every point since it began, and what it found. */
    private static final class Watch {
        final int folio;
        final LongOpenHashSet alive, hits = new LongOpenHashSet();

        Watch(int folio, LongOpenHashSet alive) {
            this.folio = folio;
            this.alive = alive;
        }
    }

    private final Map<Key, LockState> locks = new HashMap<>();

    private static final class Aborted extends RuntimeException {
        Aborted() { super(null, null, false, false); }
    }

    Execution(Function<DesignContext, RmapDesign> factory, ForkSchedule forks, List<RaceFile.Unit> units, Chooser chooser) {
        this.m = new Machine(MachineConfig.defaults(), new Ledgers(), factory, forks);
        m.setStrict(false);
        this.units = units;
        this.chooser = chooser;
    }

    /** The steps of the groups, in the order they ran. */
    public List<Step> trace() { return java.util.Collections.unmodifiableList(trace); }

    /** What the oracle under concurrency found. */
    public List<RaceViolation> violations() { return java.util.Collections.unmodifiableList(violations); }

    /** Runs every op; violations, trace and contention are in the fields. */
    void run() {
        int i = 0;
        while (i < units.size()) {
            RaceFile.Unit u = units.get(i);
            if (u.group() == 0) {
                try {
                    m.apply(u.op());
                } catch (WorkloadError e) {
                    return; // the first pass refused the file already; a design's other layout ends the run here
                } catch (RuntimeException e) {
                    violations.add(new RaceViolation(RaceViolation.Kind.CRASH, -1, u.op().task(), String.valueOf(e)));
                    return;
                }
                i++;
                continue;
            }
            int j = i;
            Map<String, Worker> ws = new LinkedHashMap<>();
            while (j < units.size() && units.get(j).group() == u.group()) {
                Op op = units.get(j).op();
                ws.computeIfAbsent(op.task(), Worker::new).ops.add(op);
                j++;
            }
            if (!runGroup(new ArrayList<>(ws.values()))) return;
            i = j;
        }
        Oracle o = new Oracle(m, 5);
        try {
            o.sweep();
        } catch (RuntimeException e) {
            violations.add(new RaceViolation(RaceViolation.Kind.CRASH, -1, null, "sweep: " + e));
            return;
        }
        for (var v : o.violations())
            violations.add(new RaceViolation(RaceViolation.Kind.SWEEP, -1, null, "folio " + v.result().folio() + ": mapcount "
                    + v.result().mapcount() + ", the walk found " + v.result().hits()
                    + (v.result().phantoms() > 0 ? ", phantom visit: " + v.result().firstPhantom() : "")));
    }

    // ------------------------------------------------------------------ the coordinator

    private boolean runGroup(List<Worker> ws) {
        last = null;
        lk.lock();
        try {
            for (Worker w : ws) {
                w.thread = Thread.ofPlatform().daemon().name("race-" + w.task).unstarted(() -> body(w));
                w.thread.start();
            }
            while (true) {
                while (running != null || ws.stream().anyMatch(w -> !w.done && w.pending == null)) cv.awaitUninterruptibly();
                List<Worker> alive = ws.stream().filter(w -> !w.done).toList();
                if (alive.isEmpty()) break;
                watchWalks(alive);
                List<String> enabled = new ArrayList<>();
                for (Worker w : alive) if (canRun(w)) enabled.add(w.task);
                waits(alive);
                if (enabled.isEmpty()) {
                    violations.add(new RaceViolation(RaceViolation.Kind.DEADLOCK, point, null, waitGraph(alive)));
                    aborted = true;
                    cv.signalAll();
                    break;
                }
                if (enabled.size() > 1) choicePoints.add(point);
                enabledAt.add(enabled);
                String lastTask = last == null ? null : last.task;
                String pick = chooser.choose(point, enabled, lastTask);
                defaults.add(Chooser.byDefault(enabled, lastTask));
                chosen.add(pick);
                Worker next = ws.stream().filter(w -> w.task.equals(pick)).findFirst().orElseThrow();
                try {
                    perform(next);
                } catch (IllegalStateException e) { // a lock released by a task that does not hold it: the model's own bug
                    violations.add(new RaceViolation(RaceViolation.Kind.CRASH, point, next.task, String.valueOf(e)));
                    aborted = true;
                    cv.signalAll();
                    break;
                }
                next.pending = null;
                running = next;
                last = next;
                point++;
                cv.signalAll();
            }
        } finally {
            lk.unlock();
        }
        for (Worker w : ws) {
            try {
                w.thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return !aborted;
    }

    private void body(Worker w) {
        Steps.install(this);
        me.set(w);
        try {
            pause(new Pending(Kind.START, null, 0, null, "start", null));
            for (Op op : w.ops) runOp(w, op);
        } catch (Aborted a) {
            // a deadlock ended the group
        } catch (WorkloadError e) {
            // an op the simulated kernel refuses in this design's layout: the task stops
        } catch (RuntimeException | AssertionError | StackOverflowError e) {
            synchronized (violations) {
                violations.add(new RaceViolation(RaceViolation.Kind.CRASH, point, w.task, String.valueOf(e)));
            }
        } finally {
            Steps.install(null);
            lk.lock();
            try {
                w.done = true;
                if (running == w) running = null;
                cv.signalAll();
            } finally {
                lk.unlock();
            }
        }
    }

    /** The op under its mmap_lock (the mode its syscall takes; none for the walk and migration ops, which model kernel threads). */
    private void runOp(Worker w, Op op) {
        Task t = m.task(op.task());
        Mode mode = mmapLockMode(op);
        long mm = t == null ? 0 : t.mm().id();
        String fn = op.keyword();
        if (mode != null && t != null) Steps.lock(LockClass.MMAP_LOCK, mm, mode, fn + ": mmap_" + (mode == Mode.READ ? "read" : "write") + "_lock");
        m.apply(op);
        if (mode != null && t != null) Steps.unlock(LockClass.MMAP_LOCK, mm, fn + ": mmap_unlock");
    }

    /**
     * The mode of mmap_lock each op holds in Linux 6.18: faults take it for
     * read (the per-VMA lock path is not modelled: see docs/races.md),
     * madvise(MADV_DONTNEED) for read, the others that change the address
     * space for write (exit_mmap ends holding it for write). thread, vfork
     * and spawn change nothing another task could see.
     */
    static Mode mmapLockMode(Op op) {
        return switch (op) {
            case Op.Touch t -> Mode.READ;
            case Op.Madvise a -> a.advice() == rmaplab.workload.Advice.DONTNEED ? Mode.READ : Mode.WRITE;
            case Op.Mmap x -> Mode.WRITE;
            case Op.Munmap x -> Mode.WRITE;
            case Op.Mprotect x -> Mode.WRITE;
            case Op.Mremap x -> Mode.WRITE;
            case Op.Fork x -> Mode.WRITE;
            case Op.Exit x -> Mode.WRITE;
            case Op.Exec x -> Mode.WRITE;
            default -> null;
        };
    }

    private boolean pause(Pending p) {
        Worker w = me.get();
        lk.lock();
        try {
            w.pending = p;
            w.counted = false;
            running = null;
            cv.signalAll();
            while (running != w && !aborted) cv.awaitUninterruptibly();
            if (aborted) throw new Aborted();
            return w.result;
        } finally {
            lk.unlock();
        }
    }

    private boolean canRun(Worker w) {
        Pending p = w.pending;
        return p.kind != Kind.LOCK || available(w, new Key(p.c, p.id), p.mode);
    }

    private boolean available(Worker w, Key k, Mode mode) {
        if (k.c == LockClass.RCU) return true;
        LockState st = locks.get(k);
        if (st == null) return true;
        if (st.writer != null && !st.writer.equals(w.task)) return false;
        if (mode == Mode.WRITE) for (String r : st.readers.keySet()) if (!r.equals(w.task)) return false;
        return true;
    }

    private String holderOf(Worker w, Key k) {
        LockState st = locks.get(k);
        if (st == null) return null;
        if (st.writer != null && !st.writer.equals(w.task)) return st.writer;
        for (String r : st.readers.keySet()) if (!r.equals(w.task)) return r;
        return null;
    }

    private void perform(Worker w) {
        Pending p = w.pending;
        String event;
        switch (p.kind) {
            case START -> event = "starts: " + w.ops.get(0).keyword() + (w.ops.size() > 1 ? " (+" + (w.ops.size() - 1) + " ops)" : "");
            case LOCK -> event = acquire(w, p, false);
            case TRYLOCK -> {
                Key k = new Key(p.c, p.id);
                w.result = available(w, k, p.mode);
                if (w.result) event = acquire(w, p, true);
                else {
                    count(p.c)[1]++;
                    event = "trylock " + k + " " + mode(p.mode) + " fails: held by " + holderOf(w, k);
                }
            }
            case UNLOCK -> event = release(w, new Key(p.c, p.id));
            case STEP -> event = "step";
            case SLEEP -> {
                event = "may sleep";
                if (w.rcu > 0) violations.add(new RaceViolation(RaceViolation.Kind.RCU_SLEEP, point, w.task, p.fn + " may sleep inside rcu_read_lock()"));
            }
            case WRITE -> {
                Key k = new Key(p.c, p.id);
                event = "writes " + p.what;
                boolean mine = locks.containsKey(k) && w.task.equals(locks.get(k).writer);
                String other = holderOf(w, k);
                if (!mine && other != null)
                    violations.add(new RaceViolation(RaceViolation.Kind.DATA_RACE, point, w.task, p.fn + " writes " + p.what
                            + " without " + k + " while " + other + " holds it"));
            }
            default -> throw new IllegalStateException();
        }
        trace.add(new Step(point, w.task, p.fn, event, heldText(w)));
    }

    private static String mode(Mode m) { return m == Mode.READ ? "read" : "write"; }

    private long[] count(LockClass c) { return contention.computeIfAbsent(c.label, x -> new long[2]); }

    private String acquire(Worker w, Pending p, boolean trylock) {
        Key k = new Key(p.c, p.id);
        if (p.c == LockClass.RCU) {
            w.rcu++;
            return "rcu_read_lock";
        }
        if (p.c.sleeps && !trylock && w.rcu > 0)
            violations.add(new RaceViolation(RaceViolation.Kind.RCU_SLEEP, point, w.task, p.fn + ": takes " + k
                    + ", a sleeping lock, inside rcu_read_lock()"));
        LockState st = locks.computeIfAbsent(k, x -> new LockState());
        boolean nested = w.task.equals(st.writer) || st.readers.containsKey(w.task);
        if (!nested && !trylock)
            for (Key h : w.held) if (h.c != LockClass.RCU && !h.equals(k)) orderEdges.putIfAbsent(h + " -> " + k, w.task + " in " + p.fn);
        if (p.mode == Mode.WRITE && (st.writer == null || w.task.equals(st.writer))) {
            st.writer = w.task;
            st.writeDepth++;
        } else st.readers.merge(w.task, 1, Integer::sum);
        w.held.add(k);
        count(p.c)[0]++;
        return (trylock ? "trylock " : "lock ") + k + " " + mode(p.mode) + (nested ? " nested" : "");
    }

    private String release(Worker w, Key k) {
        if (k.c == LockClass.RCU) {
            w.rcu--;
            return "rcu_read_unlock";
        }
        LockState st = locks.get(k);
        if (st == null || !w.held.remove(k)) throw new IllegalStateException(w.task + " unlocks " + k + " it does not hold");
        if (w.task.equals(st.writer)) {
            if (--st.writeDepth == 0) st.writer = null;
        } else if (st.readers.merge(w.task, -1, Integer::sum) == 0) st.readers.remove(w.task);
        if (st.writer == null && st.readers.isEmpty()) locks.remove(k);
        return "unlock " + k;
    }

    /** The lock class as the held column of a replay names it (kept short: a replay line fits 120 columns). */
    private static String shortName(LockClass c) {
        return switch (c) {
            case MMAP_LOCK -> "mmap";
            case ANON_VMA -> "anon_vma";
            case FOLIO_LOCK -> "folio";
            default -> c.label;
        };
    }

    private String heldText(Worker w) {
        List<String> l = new ArrayList<>();
        if (w.rcu > 0) l.add("rcu");
        for (Key k : new LinkedHashSet<>(w.held)) {
            LockState st = locks.get(k);
            l.add(shortName(k.c) + "#" + k.id + (st != null && w.task.equals(st.writer) ? "(w)" : "(r)"));
        }
        return String.join(" ", l);
    }

    /** Contention: a task whose lock is held by another waits; count each attempt once, and the longest chain of waits. */
    private void waits(List<Worker> alive) {
        Map<String, String> waitsFor = new HashMap<>();
        for (Worker w : alive) {
            Pending p = w.pending;
            if (p.kind != Kind.LOCK || p.c == LockClass.RCU) continue;
            Key k = new Key(p.c, p.id);
            String h = holderOf(w, k);
            if (h == null) continue;
            waitsFor.put(w.task, h);
            if (!w.counted) {
                count(p.c)[1]++;
                w.counted = true;
            }
        }
        for (String t : waitsFor.keySet()) {
            int n = 0;
            Set<String> seen = new LinkedHashSet<>();
            for (String x = t; waitsFor.containsKey(x) && seen.add(x); x = waitsFor.get(x)) n++;
            longestWaitChain = Math.max(longestWaitChain, n);
        }
    }

    private String waitGraph(List<Worker> alive) {
        List<String> l = new ArrayList<>();
        for (Worker w : alive) {
            Pending p = w.pending;
            Key k = new Key(p.c, p.id);
            l.add(w.task + " in " + p.fn + " waits for " + k + " " + mode(p.mode) + " held by " + holderOf(w, k)
                    + " (holding " + heldText(w) + ")");
        }
        return String.join("; ", l);
    }

    // ------------------------------------------------------------------ the walk oracle

    private LongOpenHashSet truth(int folio) {
        LongOpenHashSet s = new LongOpenHashSet();
        for (Mm mm : m.liveMms())
            mm.pageTable().forEach(0, Long.MAX_VALUE, (vp, pte) -> {
                if (Pte.isAnon(pte) && Pte.id(pte) == folio) s.add(((long) mm.id() << 44) | vp);
            });
        return s;
    }

    private void watchWalks(List<Worker> alive) {
        for (Worker w : alive) if (w.walk != null) w.walk.alive.retainAll(truth(w.walk.folio));
    }

    // ------------------------------------------------------------------ hooks (on a task's thread)

    @Override public void lock(LockClass c, long id, Mode mode, String fn) { pause(new Pending(Kind.LOCK, c, id, mode, fn, null)); }

    @Override public boolean tryLock(LockClass c, long id, Mode mode, String fn) {
        return pause(new Pending(Kind.TRYLOCK, c, id, mode, fn, null));
    }

    @Override public void unlock(LockClass c, long id, String fn) { pause(new Pending(Kind.UNLOCK, c, id, null, fn, null)); }

    @Override public void step(String fn) { pause(new Pending(Kind.STEP, null, 0, null, fn, null)); }

    @Override public void maySleep(String fn) { pause(new Pending(Kind.SLEEP, null, 0, null, fn, null)); }

    @Override public void write(LockClass c, long id, String what, String fn) { pause(new Pending(Kind.WRITE, c, id, null, fn, what)); }

    @Override public void lifetime(String what, String fn) {
        Worker w = me.get();
        violations.add(new RaceViolation(RaceViolation.Kind.LIFETIME, point, w.task, fn + ": " + what));
    }

    @Override public void walkBegin(int folio) { me.get().walk = new Watch(folio, truth(folio)); }

    @Override public void walkHit(int mmId, long vpage) {
        Watch wa = me.get().walk;
        if (wa != null) wa.hits.add(((long) mmId << 44) | vpage);
    }

    @Override public void walkEnd(int folio) {
        Worker w = me.get();
        Watch wa = w.walk;
        w.walk = null;
        if (wa == null) return;
        wa.alive.retainAll(truth(folio));
        for (long k : wa.alive)
            if (!wa.hits.contains(k))
                violations.add(new RaceViolation(RaceViolation.Kind.MISSED, point, w.task, "the walk of folio " + folio
                        + " missed mm " + (k >>> 44) + " page 0x" + Long.toHexString(k & ((1L << 44) - 1))
                        + ", mapped from the walk's start to its end"));
    }
}
