package rmaplab.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rmaplab.report.Output;
import rmaplab.report.Table;
import rmaplab.rmap.Designs;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.WorkloadException;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the simulation itself: run a workload several times per design, one at a time, and print "
                + "the median wall time and ops per second (timings vary from machine to machine; the figures the "
                + "model computes do not).",
        footer = {"", "Exit status: 0 ok, 2 bad input, " + Main.EXIT_STATUS_ALWAYS,
                "Example: rmaplab bench gen:linux-mm --design linux --repeat 5"})
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "A workload file or gen:NAME[:K=V,...].")
    String workload;

    @Option(names = "--design", paramLabel = "NAME", description = "A design (repeatable). Default: every design.")
    List<String> designs = new ArrayList<>();

    @Option(names = "--repeat", defaultValue = "5", description = "Timed runs per design (after one warm-up). Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Mixin MachineOptions machine;

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
        Table t = new Table(List.of("ops", "median ms", "min ms", "ops/s (median)"));
        try {
            // the first pass is made once: a clairvoyant design's timed runs do not include it
            rmaplab.sim.ForkSchedule forks = Runner.validate(src, cfg);
            for (String d : names) {
                long[] ms = new long[repeat];
                long ops = 0;
                Runner.run(src, Designs.get(d), cfg, CheckMode.WALKS, forks); // warm-up
                for (int i = 0; i < repeat; i++) {
                    long t0 = System.nanoTime();
                    RunResult r = Runner.run(src, Designs.get(d), cfg, CheckMode.WALKS, forks);
                    ms[i] = Math.max(1, (System.nanoTime() - t0) / 1_000_000);
                    ops = r.ops();
                }
                Arrays.sort(ms);
                long med = ms[repeat / 2];
                t.row(d, List.of(Long.toString(ops), Long.toString(med), Long.toString(ms[0]),
                        String.format(Locale.ROOT, "%.0f", ops * 1000.0 / med)));
            }
        } catch (WorkloadException e) {
            System.err.println(e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            System.err.println("rmaplab: " + workload + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        Output.print("workload " + workload + ", " + repeat + " timed runs per design, Java "
                + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs\n" + t.render());
        return Main.OK;
    }
}
