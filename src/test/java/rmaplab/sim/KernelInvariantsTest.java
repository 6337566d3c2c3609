package rmaplab.sim;

import rmaplab.rmap.DesignInfo;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import rmaplab.ledger.Ledgers;
import rmaplab.oracle.Sequences;
import rmaplab.oracle.Shrinker;
import rmaplab.rmap.Designs;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadWriter;
import rmaplab.workload.Workloads;

/**
 * The random sequences of {@code RandomSequenceTest}, with
 * {@link KernelInvariants} checked after every op: what the page tables and
 * VMAs may look like in Linux whatever the rmap design. Run under every
 * registered design, since a design's answers (may these VMAs merge?)
 * shape the address spaces.
 * A failure prints the seed and the sequence shrunk to a workload file.
 *
 * <p>System properties as for RandomSequenceTest ({@code rmaplab.sequences},
 * {@code rmaplab.firstSeed}, and those of {@link Sequences#randomOps}).
 */
class KernelInvariantsTest {
    static final int SEQUENCES = Integer.getInteger("rmaplab.sequences", 2000);
    static final long FIRST_SEED = Long.getLong("rmaplab.firstSeed", 1L);

    static List<Op> ops(long seed) { return Sequences.randomOps(seed); }

    static MachineConfig config(long seed) { return Sequences.randomConfig(seed); }

    /**
     * Runs the ops; returns "[tag] what, after op N (line)" for the first
     * broken invariant or exception, null when clean. Invalid ops (a
     * WorkloadError) return null: the shrinker skips such candidates.
     */
    static String firstBroken(DesignInfo design, List<Op> ops, MachineConfig cfg) {
        KernelInvariants.IndexRecorder[] d = new KernelInvariants.IndexRecorder[1];
        Machine m = new Machine(cfg, new Ledgers(),
                ctx -> d[0] = new KernelInvariants.IndexRecorder(design.factory().apply(ctx)),
                design.clairvoyant() ? rmaplab.run.Runner.forkScheduleOf(ops, cfg) : null);
        for (int i = 0; i < ops.size(); i++) {
            String where = " (after op " + (i + 1) + ": " + WorkloadWriter.format(ops.get(i)) + ")";
            try {
                m.apply(ops.get(i));
            } catch (WorkloadError e) {
                return null;
            } catch (RuntimeException e) {
                return "[" + e.getClass().getSimpleName() + "] " + e.getMessage() + where;
            }
            String b = KernelInvariants.check(m, d[0]);
            if (b != null) return b + where;
        }
        return null;
    }

    @TestFactory
    Stream<DynamicTest> everyDesign() {
        return Designs.all().values().stream().map(e -> DynamicTest.dynamicTest(
                e.name() + ": kernel invariants over " + SEQUENCES + " random sequences", () -> run(e)));
    }

    static void run(DesignInfo design) {
        long t0 = System.nanoTime();
        AtomicLong first = new AtomicLong(Long.MAX_VALUE), ops = new AtomicLong(), runs = new AtomicLong();
        Map<Long, String> broken = new ConcurrentHashMap<>();
        LongStream.range(FIRST_SEED, FIRST_SEED + SEQUENCES).parallel().forEach(seed -> {
            if (seed > first.get()) return;
            String b;
            try {
                List<Op> seq = ops(seed);
                ops.addAndGet(seq.size());
                b = firstBroken(design, seq, config(seed));
            } catch (RuntimeException e) {
                b = "[generator] RandomOps failed: " + e;
            }
            runs.incrementAndGet();
            if (b != null) {
                broken.put(seed, b);
                first.accumulateAndGet(seed, Math::min);
            }
        });
        System.out.printf("kernel invariants, design %s: %d sequences, %d ops in %d ms (%s)%n", design.name(), runs.get(),
                ops.get(), (System.nanoTime() - t0) / 1_000_000, broken.isEmpty() ? "all clean" : broken.size() + " broken");
        if (broken.isEmpty()) return;
        long seed = first.get();
        MachineConfig cfg = config(seed);
        String tag = KernelInvariants.tag(broken.get(seed));
        if (tag.equals("[generator]")) fail("seed " + seed + ": " + broken.get(seed));
        List<Op> seq = ops(seed);
        List<Op> shrunk = Shrinker.shrink(seq, c -> tag.equals(KernelInvariants.tag(firstBroken(design, c, cfg))),
                c -> Sequences.dropInvalid(c, cfg), Shrinker::simpler);
        String msg = "the simulated kernel broke an invariant under design " + design.name() + ": seed " + seed + " ("
                + Shrinker.describe(cfg) + "), " + seq.size() + " ops shrunk to " + shrunk.size() + "\nfirst: "
                + firstBroken(design, shrunk, cfg) + "\n"
                + Workloads.toText(shrunk, "kernel invariant " + tag + " under design " + design.name()
                        + ", random sequence seed " + seed + "; " + Shrinker.describe(cfg));
        System.out.println(msg);
        fail(msg);
    }
}
