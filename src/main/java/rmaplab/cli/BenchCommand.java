package rmaplab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rmaplab.kernel.NativeRun;
import rmaplab.kernel.Probe;
import rmaplab.kernel.ProbeUnavailableException;
import rmaplab.report.Output;
import rmaplab.report.Table;
import rmaplab.rmap.Designs;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.WorkloadWriter;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the simulation itself: run a workload N times per design (after one warm-up), and all "
                + "designs together as compare does, and print min / median / max wall time and ops per second; with "
                + "--kernel also run the workload N times on the live kernel with real processes and print the "
                + "ratios (docs/bench.md). Timings vary from machine to machine; the figures the model computes do not.",
        footer = {"", "Exit status: 0 ok (also when the kernel half could not run: it says why), 2 bad input, "
                + Main.EXIT_STATUS_ALWAYS,
                "Example: rmaplab bench examples/kernel/k33-linux-mm-1000.rmw --kernel --repeat 3"})
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "A workload file or gen:NAME[:K=V,...].")
    String workload;

    @Option(names = "--design", paramLabel = "NAME", description = "A design (repeatable). Default: every design.")
    List<String> designs = new ArrayList<>();

    @Option(names = "--repeat", defaultValue = "5", description = "Timed runs (after one warm-up). Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--kernel", description = "Also run the workload on the live kernel (needs gcc; docs/bench.md).")
    boolean kernel;

    @Mixin MachineOptions machine;

    /** Wall times of the timed runs, in ns. */
    private record Times(long[] ns) {
        static Times of(List<Long> l) { return new Times(l.stream().mapToLong(Long::longValue).sorted().toArray()); }
        long min() { return ns[0]; }
        long max() { return ns[ns.length - 1]; }
        long median() { return ns.length % 2 == 1 ? ns[ns.length / 2] : (ns[ns.length / 2 - 1] + ns[ns.length / 2]) / 2; }
    }

    @Override public Integer call() {
        List<String> names = designs.isEmpty() ? new ArrayList<>(Designs.all().keySet()) : designs;
        OpSource src;
        try {
            for (String d : names) Designs.get(d);
            src = CompareCommand.source(workload);
        } catch (IllegalArgumentException e) {
            System.err.println("rmaplab: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (WorkloadException e) { // FILE:LINE, as run says it
            System.err.println(e.getMessage());
            return Main.BAD_INPUT;
        }
        if (repeat < 1) {
            System.err.println("rmaplab: --repeat must be at least 1");
            return Main.BAD_INPUT;
        }
        MachineConfig cfg;
        try {
            // a file as before (the recording's zero-page mode is not read here); a generator may name its kernel
            cfg = rmaplab.gen.GenSpec.isSpec(workload) ? machine.configFor(workload) : machine.config();
        } catch (rmaplab.record.Truth.BadTruthException e) {
            System.err.println("rmaplab: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        List<List<Long>> perDesign = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) perDesign.add(new ArrayList<>());
        List<Long> together = new ArrayList<>(), oneByOne = new ArrayList<>(), kernelRun = new ArrayList<>(),
                kernelTeardown = new ArrayList<>();
        long ops = 0;
        NativeRun.Result lastKernel = null;
        String kernelWhy = null;
        Path kernelFile = null;
        try {
            // the first pass is made once: a clairvoyant design's timed runs do not include it
            rmaplab.sim.ForkSchedule forks = Runner.validate(src, cfg);
            NativeRun nat = null;
            if (kernel) {
                try {
                    nat = new NativeRun(Probe.home());
                    nat.build();
                    kernelFile = kernelFile(src);
                } catch (ProbeUnavailableException | IOException e) {
                    kernelWhy = e.getMessage();
                    nat = null;
                }
            }
            for (String d : names) Runner.run(src, Designs.get(d), cfg, CheckMode.WALKS, forks); // warm-up
            if (names.size() > 1) Runner.runAll(src, names, cfg, CheckMode.WALKS, cpus);
            for (int rep = 0; rep < repeat; rep++) {
                long sum = 0;
                for (int i = 0; i < names.size(); i++) {
                    long t0 = System.nanoTime();
                    RunResult r = Runner.run(src, Designs.get(names.get(i)), cfg, CheckMode.WALKS, forks);
                    long t = System.nanoTime() - t0;
                    perDesign.get(i).add(t);
                    sum += t;
                    ops = r.ops();
                }
                oneByOne.add(sum);
                if (names.size() > 1) { // as compare runs them: validation, then every design, on every CPU
                    long t0 = System.nanoTime();
                    Runner.runAll(src, names, cfg, CheckMode.WALKS, cpus);
                    together.add(System.nanoTime() - t0);
                }
                if (nat != null) {
                    try {
                        lastKernel = nat.run(kernelFile);
                        kernelRun.add(lastKernel.runNs());
                        kernelTeardown.add(lastKernel.teardownNs());
                    } catch (ProbeUnavailableException | IOException e) {
                        kernelWhy = e.getMessage();
                        nat = null;
                        kernelRun.clear();
                    }
                }
            }
        } catch (WorkloadException e) {
            System.err.println(e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            System.err.println("rmaplab: " + workload + ": " + e.getMessage());
            return Main.BAD_INPUT;
        } finally {
            if (kernelFile != null && !kernelFile.toString().equals(workload)) {
                try { Files.deleteIfExists(kernelFile); } catch (IOException ignored) { }
            }
        }
        Times k = kernelRun.isEmpty() ? null : Times.of(kernelRun);
        List<String> columns = new ArrayList<>(List.of("ops", "min ms", "median ms", "max ms", "ops/s (median)"));
        if (k != null) columns.add("median / kernel");
        Table t = new Table(columns);
        t.section("simulator, one design at a time (check mode: walks)");
        for (int i = 0; i < names.size(); i++) t.row(names.get(i), cells(ops, Times.of(perDesign.get(i)), k, k != null));
        if (names.size() > 1) {
            t.row("all " + names.size() + ", one after another", cells(ops, Times.of(oneByOne), k, k != null));
            t.row("all " + names.size() + " as compare (" + cpus + " CPUs)", cells(ops, Times.of(together), k, k != null));
        }
        StringBuilder out = new StringBuilder();
        out.append("workload ").append(workload).append(", ").append(repeat).append(" timed runs after one warm-up, Java ")
                .append(Runtime.version()).append(", ").append(cpus).append(" CPUs\n");
        if (k != null) {
            t.section("live kernel " + System.getProperty("os.version") + ", real processes (probe/rmaplab-run.c)");
            t.row("kernel: first op to last", cells(ops, k, null, true));
            Times td = Times.of(kernelTeardown);
            t.row("kernel: exit of the rest", List.of("", ms(td.min()), ms(td.median()), ms(td.max()), "", ""));
        }
        out.append(t.render());
        if (k != null) {
            double handoffMs = lastKernel.handoffs() * lastKernel.handoffNs() / 1e6;
            out.append(String.format(Locale.ROOT, "kernel: %d tasks, %d hand-offs between tasks at %.1f us each "
                            + "(measured in the last run): %.1f ms of its time%n",
                    lastKernel.tasks(), lastKernel.handoffs(), lastKernel.handoffNs() / 1e3, handoffMs));
            for (Map.Entry<String, Long> e : lastKernel.errors().entrySet())
                out.append("kernel: error ").append(e.getKey()).append(" x ").append(e.getValue()).append('\n');
        } else if (kernel) {
            out.append("kernel: not run: ").append(kernelWhy).append('\n');
        }
        Output.print(out.toString());
        return Main.OK;
    }

    /** A row's cells; the ratio to the kernel's median when the kernel ran ({@code kernel}), blank in its own rows. */
    private static List<String> cells(long ops, Times s, Times kernel, boolean kernelRan) {
        List<String> c = new ArrayList<>(List.of(Long.toString(ops), ms(s.min()), ms(s.median()), ms(s.max()),
                String.format(Locale.ROOT, "%.0f", ops * 1e9 / Math.max(1, s.median()))));
        if (kernelRan) c.add(kernel == null ? "" : String.format(Locale.ROOT, "%.2f x", (double) s.median() / kernel.median()));
        return c;
    }

    private static String ms(long ns) { return String.format(Locale.ROOT, "%.1f", ns / 1e6); }

    /** The workload as a file the native runner can read: the file itself, or the source's ops written out. */
    private Path kernelFile(OpSource src) throws IOException {
        Path p = Path.of(workload);
        if (!rmaplab.gen.GenSpec.isSpec(workload) && Files.isRegularFile(p)) return p;
        Path tmp = Files.createTempFile("rmaplab-bench-", ".rmw");
        try (WorkloadWriter w = WorkloadWriter.create(tmp); OpSource.Cursor c = src.open()) {
            Op op;
            while ((op = c.next()) != null) w.write(op);
        } catch (WorkloadException e) {
            throw new IOException(e.getMessage());
        }
        return tmp;
    }
}
