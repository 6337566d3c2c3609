package rmaplab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rmaplab.oracle.Shrinker;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.Workloads;

/**
 * Seeded mutations of every example and of a shipped recording, each read and
 * run (design {@code linux}) under a time limit and a memory budget. A mutant
 * fails the test when it hangs, ends in an exception other than a workload
 * error, is refused without {@code FILE:LINE: what is wrong} (or with control
 * bytes or a whole token echoed), or allocates more than its workload
 * justifies. A failing mutant is shrunk (lines deleted, as the random
 * sequences are shrunk) to the smallest file that fails the same way, written
 * to target/fuzz-failures/, and shown.
 *
 * <p>System properties: {@code rmaplab.fuzz.mutants} (default {@value
 * #DEFAULT_MUTANTS}), {@code rmaplab.fuzz.seed}, {@code rmaplab.fuzz.timeoutMs}
 * (default {@value #DEFAULT_TIMEOUT_MS}). After a hang no more mutants are
 * made: the hung thread cannot be stopped and would slow every later one.
 */
class WorkloadFuzzTest {
    static final int DEFAULT_MUTANTS = 4000;
    static final long DEFAULT_TIMEOUT_MS = 10_000;
    /** Failures shrunk and shown at most (a broken reader fails thousands of mutants the same way). */
    static final int MAX_FAILURES = 5;
    /** Candidates that hang tried at most while shrinking one mutant (each leaves a thread running). */
    static final int MAX_HANGING_CANDIDATES = 4;
    /** Time spent shrinking one mutant at most (a mutant of the recording runs thousands of lines per candidate). */
    static final long SHRINK_MS = 60_000;
    /** The shipped recording mutated: the smallest (its import, recordings/*.txt.gz, is not fuzzed here). */
    static final String RECORDING = "recordings/shell.rmw.gz";

    /**
     * A file mutated: its text, whether it is gzip, and its cost: how many ops
     * times the most tasks alive at once (a run's time grows with both; it
     * weighs how often the seed is picked, so that a 1000-child example does
     * not take the time of the thousands of small ones).
     */
    record Seed(String name, String text, boolean gz, long cost) {
        /** How often it is picked, relative to a small example. */
        double weight() { return Math.min(1, COST_UNIT / (double) cost); }
    }

    /** Seeds costing up to this are picked as often as each other. */
    static final long COST_UNIT = 20_000;

    static List<Seed> seeds() throws IOException, WorkloadException {
        List<Seed> seeds = new ArrayList<>();
        for (String dir : List.of("examples", "examples/kernel"))
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                for (Path p : s.filter(f -> f.toString().endsWith(".rmw")).sorted().toList())
                    seeds.add(seed(p.toString(), Files.readString(p), false));
            }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(RECORDING)))) {
            seeds.add(seed(RECORDING, new String(in.readAllBytes(), StandardCharsets.UTF_8), true));
        }
        return seeds;
    }

    static Seed seed(String name, String text, boolean gz) throws WorkloadException {
        List<Op> ops = Workloads.parse(name, text);
        long live = 0, most = 0;
        for (Op op : ops) {
            if (op instanceof Op.Spawn || op instanceof Op.Fork || op instanceof Op.Vfork || op instanceof Op.Thread) live++;
            if (op instanceof Op.Exit) live--;
            most = Math.max(most, live);
        }
        return new Seed(name, text, gz, Math.max(1, ops.size() * most));
    }

    record Failure(Seed seed, int index, String how, MutantRun.Outcome outcome, byte[] shrunk, boolean gz, MutantRun.Outcome shrunkOutcome) {}

    @Test
    void mutantsAreRefusedWithFileAndLineOrRunWithinTheirLimits(@TempDir Path dir) throws IOException, WorkloadException {
        int mutants = Integer.getInteger("rmaplab.fuzz.mutants", DEFAULT_MUTANTS);
        long seed = Long.getLong("rmaplab.fuzz.seed", 16);
        long timeout = Long.getLong("rmaplab.fuzz.timeoutMs", DEFAULT_TIMEOUT_MS);
        List<Seed> seeds = seeds();
        assertTrue(seeds.size() > 10, "the examples are found (run from the repository)");
        Map<MutantRun.Kind, Integer> counts = new EnumMap<>(MutantRun.Kind.class);
        List<Failure> failures = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] cumulative = new double[seeds.size()];
        for (int k = 0; k < seeds.size(); k++) cumulative[k] = (k == 0 ? 0 : cumulative[k - 1]) + seeds.get(k).weight();
        long t0 = System.nanoTime();
        try (MutantRun runner = new MutantRun(dir)) {
            // each seed as it is: it runs, and its time sets its mutants' limit (so that a heavy one is no "hang")
            Map<Seed, Long> limits = new java.util.HashMap<>();
            for (Seed s : seeds) {
                long s0 = System.nanoTime();
                MutantRun.Outcome o = runner.run(s.text().getBytes(StandardCharsets.UTF_8), false, 10 * timeout);
                assertEquals(MutantRun.Kind.RAN, o.kind(), s.name() + ": " + o.detail());
                limits.put(s, Math.max(timeout, 20 * (System.nanoTime() - s0) / 1_000_000));
            }
            for (int i = 0; i < mutants && failures.size() < MAX_FAILURES && runner.abandoned() == 0; i++) {
                // every seed twice, then by weight
                Seed s = i < 2 * seeds.size() ? seeds.get(i % seeds.size()) : pick(seeds, cumulative, rnd);
                boolean gz = s.gz() || rnd.nextInt(8) == 0;
                Mutator.Mutant m = Mutator.mutate(s.text(), gz, rnd.split());
                MutantRun.Outcome o = runner.run(m.bytes(), m.gz(), limits.get(s));
                counts.merge(o.kind(), 1, Integer::sum);
                if (o.failed()) {
                    System.out.println("fuzz: mutant " + i + " of " + s.name() + " (" + m.how() + "): " + o.kind() + ": " + o.detail());
                    failures.add(shrink(runner, s, i, m, o, limits.get(s)));
                }
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("fuzz: " + counts + " in " + ms + " ms (seed " + seed + ")");
        if (failures.isEmpty()) return;
        StringBuilder b = new StringBuilder(failures.size() + " mutants fail (seed " + seed + "; outcomes " + counts + "):\n");
        Path out = Path.of("target", "fuzz-failures");
        Files.createDirectories(out);
        for (Failure f : failures) {
            Path file = out.resolve("mutant-" + f.index() + (f.gz() ? ".rmw.gz" : ".rmw"));
            Files.write(file, f.shrunk());
            b.append("\n").append(f.outcome().kind()).append(": mutant ").append(f.index()).append(" of ").append(f.seed().name())
                    .append(" (").append(f.how()).append(")\n  ").append(f.outcome().detail())
                    .append("\n  shrunk to ").append(file).append(" (").append(f.shrunkOutcome().kind()).append(": ")
                    .append(f.shrunkOutcome().detail()).append("):\n").append(show(f.shrunk(), f.gz()));
        }
        fail(b.toString());
    }

    private static Seed pick(List<Seed> seeds, double[] cumulative, SplittableRandom rnd) {
        double x = rnd.nextDouble() * cumulative[cumulative.length - 1];
        for (int k = 0; k < seeds.size(); k++) if (x < cumulative[k]) return seeds.get(k);
        return seeds.get(seeds.size() - 1);
    }

    /** The smallest file found, by deleting lines (or, for gzip, by shrinking the text inside it), that fails the same way. */
    private static Failure shrink(MutantRun runner, Seed s, int i, Mutator.Mutant m, MutantRun.Outcome o, long timeout) {
        long[] limits = {0, System.nanoTime() + SHRINK_MS * 1_000_000}; // hanging candidates so far, deadline
        byte[] bytes = m.bytes();
        boolean gz = m.gz();
        // a gzip mutant whose text alone fails the same way is shrunk as text
        byte[] text = gz ? gunzipped(bytes) : bytes;
        if (gz && text != null && same(runner, text, false, o, limits, timeout)) {
            bytes = text;
            gz = false;
        }
        final boolean shrinkGz = gz;
        List<byte[]> units = shrinkGz ? chunks(bytes, Math.max(1, bytes.length / 64)) : lines(bytes);
        List<byte[]> small = Shrinker.shrink(units, u -> same(runner, join(u), shrinkGz, o, limits, timeout), UnaryOperator.identity());
        byte[] result = join(small);
        return new Failure(s, i, m.how(), o, result, shrinkGz, runner.run(result, shrinkGz, timeout));
    }

    /** Whether a candidate fails as the mutant did; false once the shrink's budget ({@code limits}: hangs, deadline) is spent. */
    private static boolean same(MutantRun runner, byte[] bytes, boolean gz, MutantRun.Outcome o, long[] limits, long timeout) {
        if (limits[0] >= MAX_HANGING_CANDIDATES || System.nanoTime() > limits[1]) return false;
        MutantRun.Outcome r = runner.run(bytes, gz, timeout);
        if (r.kind() == MutantRun.Kind.HANG) limits[0]++;
        return r.kind() == o.kind();
    }

    private static byte[] gunzipped(byte[] gz) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null; // damaged: shrunk as bytes
        }
    }

    static List<byte[]> lines(byte[] b) {
        List<byte[]> l = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < b.length; i++)
            if (b[i] == '\n') {
                l.add(java.util.Arrays.copyOfRange(b, from, i + 1));
                from = i + 1;
            }
        if (from < b.length) l.add(java.util.Arrays.copyOfRange(b, from, b.length));
        return l;
    }

    static List<byte[]> chunks(byte[] b, int size) {
        List<byte[]> l = new ArrayList<>();
        for (int i = 0; i < b.length; i += size) l.add(java.util.Arrays.copyOfRange(b, i, Math.min(b.length, i + size)));
        return l;
    }

    static byte[] join(List<byte[]> parts) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    /** A file for a failure message: text with its control bytes escaped, cut to 3000 characters; gzip as a size. */
    private static String show(byte[] b, boolean gz) {
        if (gz) return "    (" + b.length + " bytes of gzip data)\n";
        String t = new String(b, StandardCharsets.UTF_8);
        StringBuilder s = new StringBuilder();
        for (String line : t.split("\n", -1)) {
            if (s.length() > 3000) {
                s.append("    ...\n");
                break;
            }
            s.append("    ").append(MutantRun.cut(line)).append('\n');
        }
        return s.toString();
    }
}
