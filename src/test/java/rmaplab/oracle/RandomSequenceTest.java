package rmaplab.oracle;

import rmaplab.rmap.DesignInfo;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import rmaplab.rmap.Designs;
import rmaplab.run.RunResult;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.Op;
import rmaplab.workload.Workloads;

/**
 * Random operation sequences against every registered design, with the
 * oracle after every op: any violation, mapcount error or exception fails
 * the test with the seed and the sequence shrunk to a workload file.
 *
 * <p>System properties: {@code rmaplab.sequences} (per design, default 2000),
 * {@code rmaplab.firstSeed} (default 1), {@code rmaplab.design} (run only
 * this design), and those of {@link Sequences#randomOps}: {@code rmaplab.length}
 * (ops per sequence; by default 100 to 249, varying with the seed),
 * {@code rmaplab.pages}, {@code rmaplab.maxTasks}. To replay one seed:
 * {@code -Drmaplab.firstSeed=SEED -Drmaplab.sequences=1}.
 */
class RandomSequenceTest {
    static final int SEQUENCES = Integer.getInteger("rmaplab.sequences", 2000);
    static final long FIRST_SEED = Long.getLong("rmaplab.firstSeed", 1L);
    static final String ONLY = System.getProperty("rmaplab.design");

    /** The ops of a seed (see {@link Sequences#randomOps}). */
    static List<Op> ops(long seed) { return Sequences.randomOps(seed); }

    /** The machine of a seed (see {@link Sequences#randomConfig}). */
    static MachineConfig config(long seed) { return Sequences.randomConfig(seed); }

    @TestFactory
    Stream<DynamicTest> everyDesign() {
        return Designs.all().values().stream()
                .filter(e -> ONLY == null || ONLY.equals(e.name()))
                .map(e -> DynamicTest.dynamicTest(e.name() + ": " + SEQUENCES + " random sequences", () -> {
                    if (e.sound()) {
                        run(e);
                        return;
                    }
                    // a faithful model of a flawed proposal: the random sequences must find its flaw
                    AssertionError found = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> run(e),
                            e.name() + " is registered as known to miss mappings, but no random sequence found a miss");
                    System.out.println(e.name() + " (known to miss mappings: " + e.flawed() + "): the random sequences found it:\n"
                            + found.getMessage().lines().limit(12).reduce("", (a, b) -> a + "  " + b + "\n"));
                }));
    }

    /** Runs every seed on the design (in parallel), then shrinks the lowest failing seed. */
    static void run(DesignInfo design) {
        long t0 = System.nanoTime();
        AtomicLong firstFailing = new AtomicLong(Long.MAX_VALUE);
        Map<Long, Sequences.Failure> failures = new ConcurrentHashMap<>();
        LongAdder ops = new LongAdder(), walks = new LongAdder(), runs = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>(), opCounts = new ConcurrentHashMap<>();
        LongStream.range(FIRST_SEED, FIRST_SEED + SEQUENCES).parallel().forEach(seed -> {
            if (seed > firstFailing.get()) return;
            List<Op> seq;
            try {
                seq = ops(seed);
            } catch (RuntimeException e) { // a generator bug
                failures.put(seed, new Sequences.Failure(Sequences.Kind.INVALID, e.getClass().getName(),
                        "RandomOps failed: " + e));
                firstFailing.accumulateAndGet(seed, Math::min);
                return;
            }
            Sequences.Failure f;
            try {
                Sequences.Outcome o = Sequences.outcome(design, config(seed), seq);
                f = o.failure();
                if (f == null) {
                    RunResult r = o.result();
                    walks.add(r.checkedWalks());
                    r.errors().forEach((k, v) -> errors.computeIfAbsent(k, x -> new LongAdder()).add(v));
                    r.machine().opCounts().forEach((k, v) -> opCounts.computeIfAbsent(k, x -> new LongAdder()).add(v));
                }
            } catch (Exception e) { // the generator made an invalid workload: a generator bug
                f = new Sequences.Failure(Sequences.Kind.INVALID, e.getClass().getName(), e.getMessage());
            }
            runs.increment();
            ops.add(seq.size());
            if (f != null) {
                failures.put(seed, f);
                firstFailing.accumulateAndGet(seed, Math::min);
            }
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("random sequences, design %s: %d sequences, %d ops, %d checked walks in %d ms (%s)%n",
                design.name(), runs.sum(), ops.sum(), walks.sum(), ms, failures.isEmpty() ? "all clean" : "FAILED");
        System.out.println("  ops by kind: " + sorted(opCounts));
        System.out.println("  errors the kernel returned: " + sorted(errors));
        if (failures.isEmpty()) return;
        long seed = firstFailing.get();
        if (failures.get(seed).kind() == Sequences.Kind.INVALID) {
            String d = failures.get(seed).description();
            fail("seed " + seed + ": " + d + (d.startsWith("RandomOps failed") ? ""
                    : "\n" + Workloads.toText(ops(seed), "RandomOps seed " + seed + ": an invalid workload")));
        }
        List<Op> seq = ops(seed);
        Shrinker.Counterexample cx = Shrinker.shrink(design, config(seed), seed, seq, failures.get(seed));
        String msg = "random sequences found a failure (" + failures.size() + " failing seed(s) at or below " + seed
                + ")\n" + cx.message();
        System.out.println(msg);
        fail(msg);
    }

    private static Map<String, Long> sorted(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
