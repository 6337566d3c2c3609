package rmaplab.race;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.IntConsumer;
import rmaplab.run.Runner;
import rmaplab.sim.DesignContext;
import rmaplab.sim.ForkSchedule;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.RmapDesign;
import rmaplab.workload.Op;

/**
 * Explores the schedules of a race workload for one design. Two modes:
 *
 * <ul>
 * <li>{@link #bounded}: every schedule with at most {@code bound} switches
 * (points where the run deviates from the non-preemptive choice), depth first,
 * each switch placed after the previous one: iterative context bounding as in
 * CHESS (Musuvathi and Qadeer, PLDI 2007). No partial-order reduction: two
 * schedules that differ only in the order of independent steps are both run.
 * Complete when every such schedule ran within the schedule limit.</li>
 * <li>{@link #pct}: PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS
 * 2010) with depth d: random task priorities, d-1 random priority change
 * points among the k scheduling points of the first run. Each run finds a
 * given bug of depth d with probability at least 1/(n·k^(d-1)) for n tasks;
 * the schedules are a pure function of the seed.</li>
 * </ul>
 *
 * The first schedule with a violation ends the exploration; its schedule is
 * shrunk to the fewest switches that still show a violation of the same kind.
 */
public final class Explorer {
    private final RaceFile file;
    private final Function<DesignContext, RmapDesign> factory;
    private final ForkSchedule forks;
    private final IntConsumer progress;

    // aggregated over the schedules run
    private int schedules;
    private final Map<String, long[]> contention = new LinkedHashMap<>();
    private int longestChain;
    private final Map<String, String> edges = new LinkedHashMap<>();

    /** What an exploration found. */
    public record Result(String mode, int schedules, boolean complete, List<RaceViolation> violations, Schedule found,
                         Schedule shrunk, int pointsPerRun, Map<String, long[]> contention, int longestWaitChain) {
        public boolean clean() { return violations.isEmpty(); }
    }

    public Explorer(RaceFile file, Function<DesignContext, RmapDesign> factory, IntConsumer progress) {
        this.file = file;
        this.factory = factory;
        this.progress = progress == null ? n -> { } : progress;
        List<Op> ops = file.units().stream().map(RaceFile.Unit::op).toList();
        this.forks = Runner.forkScheduleOf(ops, MachineConfig.defaults());
    }

    /** Runs one schedule. */
    Execution run(Chooser c) {
        Execution ex = new Execution(factory, forks, file.units(), c);
        ex.run();
        return ex;
    }

    private Execution runCounted(Chooser c) {
        Execution ex = run(c);
        schedules++;
        progress.accept(schedules);
        for (var e : ex.contention.entrySet()) {
            long[] a = contention.computeIfAbsent(e.getKey(), k -> new long[2]);
            a[0] += e.getValue()[0];
            a[1] += e.getValue()[1];
        }
        longestChain = Math.max(longestChain, ex.longestWaitChain);
        ex.orderEdges.forEach(edges::putIfAbsent);
        return ex;
    }

    /** Every schedule with at most {@code bound} switches, up to {@code limit} schedules. */
    public Result bounded(int bound, int limit) {
        Deque<Schedule> work = new ArrayDeque<>();
        work.push(Schedule.none());
        Set<Schedule> seen = new LinkedHashSet<>();
        int points = 0;
        while (!work.isEmpty() && schedules < limit) {
            Schedule s = work.pop();
            if (!seen.add(s)) continue;
            Execution ex = runCounted(s.chooser(null));
            points = Math.max(points, ex.chosen.size());
            if (!ex.violations.isEmpty()) return found("exhaustive, bound " + bound, s, ex, false);
            if (s.size() >= bound) continue;
            int from = s.switches().isEmpty() ? 0 : s.switches().lastKey() + 1;
            List<Schedule> next = new ArrayList<>();
            for (int p : ex.choicePoints) {
                if (p < from) continue;
                for (String t : ex.enabledAt.get(p)) if (!t.equals(ex.chosen.get(p))) next.add(s.with(p, t));
            }
            for (int i = next.size() - 1; i >= 0; i--) work.push(next.get(i));
        }
        Result r = lockOrder("exhaustive, bound " + bound, work.isEmpty(), points);
        return r;
    }

    /** {@code n} PCT schedules of depth {@code depth} from {@code seed}. */
    public Result pct(int n, int depth, long seed) {
        Execution first = runCounted(Schedule.none().chooser(null));
        int k = Math.max(1, first.chosen.size());
        if (!first.violations.isEmpty()) return found("pct, depth " + depth + ", seed " + seed, Schedule.none(), first, true);
        List<String> tasks = new ArrayList<>(new LinkedHashSet<>(file.units().stream().filter(u -> u.group() != 0)
                .map(u -> u.op().task()).toList()));
        SplittableRandom root = new SplittableRandom(seed);
        for (int i = 1; i < n; i++) {
            SplittableRandom rnd = root.split();
            Map<String, Integer> prio = new HashMap<>();
            List<Integer> order = new ArrayList<>();
            for (int j = 0; j < tasks.size(); j++) order.add(depth + j);
            for (int j = order.size() - 1; j > 0; j--) java.util.Collections.swap(order, j, rnd.nextInt(j + 1));
            for (int j = 0; j < tasks.size(); j++) prio.put(tasks.get(j), order.get(j));
            Map<Integer, Integer> change = new HashMap<>();
            for (int j = 1; j < depth; j++) change.put(rnd.nextInt(k), depth - j);
            Chooser c = (point, enabled, last) -> {
                Integer lower = change.get(point);
                if (lower != null && last != null) prio.put(last, lower);
                String best = enabled.get(0);
                for (String t : enabled) if (prio.getOrDefault(t, 0) > prio.getOrDefault(best, 0)) best = t;
                return best;
            };
            Execution ex = runCounted(c);
            if (!ex.violations.isEmpty())
                return found("pct, depth " + depth + ", seed " + seed, Schedule.of(ex.defaults, ex.chosen), ex, true);
        }
        return lockOrder("pct, depth " + depth + ", seed " + seed, false, k);
    }

    private Result found(String mode, Schedule s, Execution ex, boolean complete) {
        Schedule actual = Schedule.of(ex.defaults, ex.chosen);
        Schedule small = shrink(actual, ex.violations.get(0).kind());
        return new Result(mode, schedules, complete, List.copyOf(ex.violations), actual, small, ex.chosen.size(),
                contention, longestChain);
    }

    /** Drops switches one at a time while a violation of the same kind remains; returns the switches the last such run made. */
    Schedule shrink(Schedule s, RaceViolation.Kind kind) {
        Schedule cur = s;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int p : cur.switches().keySet()) {
                Execution ex = run(cur.without(p).chooser(null));
                if (ex.violations.stream().anyMatch(v -> v.kind() == kind)) {
                    cur = Schedule.of(ex.defaults, ex.chosen);
                    changed = true;
                    break;
                }
            }
        }
        return cur;
    }

    /** No schedule failed: a cycle in the lock-order graph over all of them is still a deadlock. */
    private Result lockOrder(String mode, boolean complete, int points) {
        List<RaceViolation> v = new ArrayList<>();
        String cycle = LockOrder.cycle(edges);
        if (cycle != null) v.add(new RaceViolation(RaceViolation.Kind.LOCK_ORDER, -1, null, cycle));
        return new Result(mode, schedules, complete, v, null, null, points, contention, longestChain);
    }

    /** Replays one schedule. */
    public Execution replay(Schedule s) { return run(s.chooser(new ArrayList<>())); }
}
