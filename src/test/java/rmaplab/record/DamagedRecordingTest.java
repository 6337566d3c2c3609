package rmaplab.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rmaplab.kernel.RecordingCheck;
import rmaplab.ledger.ObjectFigures;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.WorkloadWriter;
import rmaplab.workload.Workloads;

/**
 * Issue #16: a shipped recording, damaged in the ways a recording gets damaged (cut short at a line
 * or inside one, two lines swapped, lines deleted, lines repeated), at seeded places. Every damaged
 * recording must be refused with {@code FILE:LINE}, or imported with the damage named in its truth
 * (kernel-check then gives no verdict), or be harmless: imported clean with the same kernel counts
 * as the whole recording and a workload on which the model counts the same, so that kernel-check
 * says what it says of the whole one. -Drmaplab.damage.variants=N changes how many (default 120;
 * the measurement used 450), -Drmaplab.damage.seed=N where.
 */
class DamagedRecordingTest {
    static final MachineConfig CFG = MachineConfig.defaults().withZeroPage(false);
    static final Path RECORDING = Path.of(System.getProperty("rmaplab.damage.recording", "recordings/shell.txt.gz"));

    enum Damage { CUT_AT_A_LINE, CUT_INSIDE_A_LINE, ADJACENT_LINES_SWAPPED, TWO_LINES_SWAPPED, LINES_DELETED, LINES_REPEATED }

    enum Outcome { REFUSED, DAMAGE_NAMED, CLEAN_IDENTICAL, CLEAN_SAME_COUNTS, CLEAN_KERNEL_CHECK_DIFFERS }

    /** One import: its workload text and truth, or the refusal. */
    record Imported(String workload, Truth truth, String refusal) {}

    static Imported importText(String name, byte[] text) throws IOException {
        StringWriter sw = new StringWriter();
        Truth truth = new Truth();
        try (WorkloadWriter w = WorkloadWriter.of(sw)) {
            TraceImporter.run(name, new ByteArrayInputStream(text), w, truth, true);
        } catch (WorkloadException e) {
            return new Imported(null, null, e.getMessage());
        }
        return new Imported(sw.toString(), truth, null);
    }

    /** What kernel-check compares: the kernel's counts by kind and op, and the model's on the workload. */
    static Map<String, Long> compared(Imported im) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        for (var k : im.truth().kinds().entrySet()) {
            k.getValue().allocated().byOp().forEach((op, n) -> out.put("kernel alloc " + k.getKey() + " " + op, n));
            k.getValue().freed().byOp().forEach((op, n) -> out.put("kernel free " + k.getKey() + " " + op, n));
        }
        var model = Runner.run(OpSource.of("w", Workloads.parse("w.rmw", im.workload())), "linux", CFG, CheckMode.END);
        out.put("model oracle ok", model.ok() ? 1L : 0L);
        for (var op : model.ledgers().objects().byOp().entrySet())
            for (var k : op.getValue().entrySet()) {
                ObjectFigures.OpCost c = k.getValue();
                if (!Truth.KINDS.contains(k.getKey())) continue;
                if (c.allocated() != 0) out.put("model alloc " + k.getKey() + " " + op.getKey(), c.allocated());
                if (c.freed() != 0) out.put("model free " + k.getKey() + " " + op.getKey(), c.freed());
            }
        return out;
    }

    /** kernel-check's verdict, as its command prints it. */
    static String verdict(RecordingCheck.Result r) {
        boolean exact = r.kinds().stream().allMatch(k -> k.modelRecordable() == k.kernelComparable() && k.unexplained() == 0);
        return r.damaged() ? "DAMAGED RECORDING" : r.equal() ? "model = kernel" : !r.ok() ? "DIFFERENCE"
                : exact && r.oracleOk() ? "model = kernel, differences explained" : "model = kernel within 2 %, unexplained "
                + r.unexplained();
    }

    /** For -Drmaplab.damage.debug: the lines a damage took away or added (by count), else those it moved. */
    static List<String> changed(List<String> whole, List<String> damaged) {
        Map<String, Integer> n = new TreeMap<>();
        whole.forEach(x -> n.merge(x, 1, Integer::sum));
        damaged.forEach(x -> n.merge(x, -1, Integer::sum));
        List<String> out = new ArrayList<>();
        n.forEach((x, k) -> { if (k != 0) out.add((k > 0 ? "lost: " : "added: ") + x.strip()); });
        if (out.isEmpty())
            for (int i = 0; i < whole.size(); i++)
                if (!whole.get(i).equals(damaged.get(i))) out.add("moved to line " + (i + 1) + ": " + damaged.get(i).strip());
        return out;
    }

    static List<String> lines(byte[] text) {
        String s = new String(text, StandardCharsets.ISO_8859_1);
        assertTrue(s.endsWith("\n"));
        return new ArrayList<>(List.of(s.substring(0, s.length() - 1).split("\n", -1)));
    }

    static byte[] text(List<String> lines, boolean newlineAtEnd) {
        return (String.join("\n", lines) + (newlineAtEnd ? "\n" : "")).getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] damage(List<String> whole, Damage how, SplittableRandom rnd) {
        List<String> l = new ArrayList<>(whole);
        int n = l.size();
        switch (how) {
            case CUT_AT_A_LINE -> {
                return text(l.subList(0, 1 + rnd.nextInt(n - 1)), true);
            }
            case CUT_INSIDE_A_LINE -> {
                int i = rnd.nextInt(n);
                List<String> kept = new ArrayList<>(l.subList(0, i));
                kept.add(l.get(i).substring(0, 1 + rnd.nextInt(l.get(i).length() - 1)));
                return text(kept, false);
            }
            case ADJACENT_LINES_SWAPPED -> {
                int i = rnd.nextInt(n - 1);
                l.set(i, whole.get(i + 1));
                l.set(i + 1, whole.get(i));
            }
            case TWO_LINES_SWAPPED -> {
                int i = rnd.nextInt(n), j = rnd.nextInt(n);
                l.set(i, whole.get(j));
                l.set(j, whole.get(i));
            }
            case LINES_DELETED -> {
                for (int k = 1 + rnd.nextInt(5); k > 0; k--) l.remove(rnd.nextInt(l.size()));
            }
            case LINES_REPEATED -> {
                for (int k = 1 + rnd.nextInt(5); k > 0; k--) {
                    int i = rnd.nextInt(l.size());
                    l.add(i, l.get(i));
                }
            }
        }
        return text(l, true);
    }

    /** Every check holds on every whole recording there is: none is refused, none has damage. */
    @ParameterizedTest
    @ValueSource(strings = {"recordings/shell.txt.gz", "recordings/python-pool.txt.gz", "recordings/redis.txt.gz",
            "recordings/postgres.txt.gz", "src/test/resources/record/sh-ls-wc.txt.gz",
            "src/test/resources/record/sh-pipelines.txt.gz", "src/test/resources/record/python-mix.txt.gz"})
    void wholeRecordingsHaveNoDamage(String recording) throws Exception {
        Imported im = importText(recording, TraceImporterTest.gunzip(Files.readAllBytes(Path.of(recording))));
        assertEquals(null, im.refusal());
        assertEquals(List.of(), im.truth().damage());
    }

    @Test
    void everyDamagedRecordingIsRefusedNamedOrHarmless() throws Exception {
        byte[] whole = TraceImporterTest.gunzip(Files.readAllBytes(RECORDING));
        Imported clean = importText("whole.txt", whole);
        assertEquals(null, clean.refusal());
        assertFalse(clean.truth().damaged(), clean.truth().damage().toString());
        Map<String, Long> cleanCounts = compared(clean);
        List<String> lines = lines(whole);

        int variants = Integer.getInteger("rmaplab.damage.variants", 120);
        long seed = Long.getLong("rmaplab.damage.seed", 16);
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<Damage, Map<Outcome, Integer>> table = new LinkedHashMap<>();
        List<String> harmful = new ArrayList<>(), sameCounts = new ArrayList<>(), differs = new ArrayList<>();
        for (int i = 0; i < variants; i++) {
            Damage how = Damage.values()[i % Damage.values().length];
            String name = "damaged-" + i + ".txt";
            byte[] damaged = damage(lines, how, rnd.split());
            Imported im = importText(name, damaged);
            Outcome o;
            if (im.refusal() != null) {
                assertTrue(im.refusal().matches("\\Q" + name + "\\E:\\d+: .+") && !im.refusal().contains("internal error"),
                        how + ": " + im.refusal());
                o = Outcome.REFUSED;
            } else if (im.truth().damaged()) {
                o = Outcome.DAMAGE_NAMED;
            } else if (im.workload().equals(clean.workload()) && im.truth().toJson().equals(clean.truth().toJson())) {
                o = Outcome.CLEAN_IDENTICAL;
            } else if (compared(im).equals(cleanCounts)) {
                o = Outcome.CLEAN_SAME_COUNTS;
                sameCounts.add(name + " (" + how + ")");
            } else {
                // not found: kernel-check must not call the model equal to the kernel on it
                Path w = Files.createTempFile("damaged", ".rmw");
                RecordingCheck.Result r;
                try {
                    Files.writeString(w, im.workload());
                    r = RecordingCheck.check(w, im.truth(), CFG);
                } finally {
                    Files.delete(w);
                }
                String said = verdict(r);
                if (said.startsWith("model = kernel") && !said.contains("within")) harmful.add(name + " (" + how + ")");
                o = Outcome.CLEAN_KERNEL_CHECK_DIFFERS;
                differs.add(name + " (" + how + "; kernel-check: " + said + ")");
            }
            table.computeIfAbsent(how, k -> new LinkedHashMap<>()).merge(o, 1, Integer::sum);
            if (Boolean.getBoolean("rmaplab.damage.debug") && o != Outcome.REFUSED && o != Outcome.DAMAGE_NAMED)
                for (String c : changed(lines, lines(damaged))) System.out.println("DEBUG " + name + " " + o + " " + how + " " + c);
        }
        StringBuilder b = new StringBuilder("damaged variants of " + RECORDING + " (seed " + seed + "): " + variants + "\n");
        table.forEach((how, m) -> b.append(String.format("  %-24s %s%n", how, m)));
        b.append("  imported clean, same counts as the whole recording: ").append(sameCounts).append('\n');
        b.append("  imported clean, kernel-check shows a difference: ").append(differs).append('\n');
        b.append("  imported clean, kernel-check says model = kernel though the counts changed: ").append(harmful).append('\n');
        System.out.print(b);
        assertTrue(harmful.isEmpty(), b.toString());
    }
}
