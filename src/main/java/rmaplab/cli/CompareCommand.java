package rmaplab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rmaplab.gen.Generator;
import rmaplab.gen.Generators;
import rmaplab.record.Truth;
import rmaplab.report.Report;
import rmaplab.rmap.Designs;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run workloads under several designs (every design by default), one simulated machine each, "
                + "and print one side-by-side table per workload, with figures relative to 'linux' where it ran.",
        footer = {"", "A WORKLOAD is a file or gen:NAME[:K=V,...] ('rmaplab gen --list' shows the generators).",
                Verdict.EXIT_STATUS,
                "Examples:", "  rmaplab compare examples/fork-cow.rmw",
                "  rmaplab compare gen:linux-mm:regions=100,children=100 --design linux --design pv --csv"})
final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "WORKLOAD", description = "Workload files or gen:NAME[:K=V,...].")
    List<String> workloads;

    @Option(names = "--design", paramLabel = "NAME", description = "A design to run (repeatable). Default: every design.")
    List<String> designs = new ArrayList<>();

    @Option(names = "--check", description = "Also let the oracle walk every live folio at the end.")
    boolean check;

    @Option(names = "--csv", description = "Print CSV: workload,design,figure,value (figure names as in the JSON).")
    boolean csv;

    @Option(names = "--json", description = "Print a JSON list, one document per workload (as 'run --json').")
    boolean json;

    @Mixin MachineOptions machine;

    @Override public Integer call() {
        if (csv && json) {
            System.err.println("rmaplab: --csv and --json exclude each other");
            return Main.BAD_INPUT;
        }
        List<String> names = designs.isEmpty() ? new ArrayList<>(Designs.all().keySet()) : designs;
        List<OpSource> sources = new ArrayList<>();
        try {
            for (String d : names) Designs.get(d);
            for (String w : workloads) sources.add(source(w));
        } catch (IllegalArgumentException e) {
            System.err.println("rmaplab: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        CheckMode mode = check ? CheckMode.END : CheckMode.WALKS;
        List<RunResult> all = new ArrayList<>();
        List<Object> docs = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            OpSource src = sources.get(i);
            List<RunResult> runs;
            MachineConfig cfg;
            try {
                cfg = machine.config(workloads.get(i).startsWith("gen:") ? null : Path.of(workloads.get(i)));
            } catch (Truth.BadTruthException e) {
                System.err.println("rmaplab: " + e.getMessage());
                return Main.BAD_INPUT;
            }
            try {
                runs = Runner.runAll(src, names, cfg, mode, Runtime.getRuntime().availableProcessors());
            } catch (WorkloadException e) {
                System.err.println(e.getMessage());
                return Main.BAD_INPUT;
            } catch (IOException e) {
                System.err.println("rmaplab: " + src.name() + ": " + e.getMessage());
                return Main.BAD_INPUT;
            }
            all.addAll(runs);
            if (json) docs.add(Report.json(src.name(), cfg, runs));
            else if (csv) System.out.print(Report.csv(src.name(), runs, i == 0));
            else {
                if (i > 0) System.out.println();
                System.out.print(Report.table(src.name(), cfg, runs));
            }
        }
        if (json) System.out.println(Report.toJson(docs));
        return Verdict.status(all, !designs.isEmpty());
    }

    /** A file, or gen:NAME[:K=V,...] generated in memory. */
    static OpSource source(String w) {
        if (!w.startsWith("gen:")) {
            Path p = Path.of(w);
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException(w + ": no such file");
            return OpSource.file(p);
        }
        String[] parts = w.substring(4).split(":", 2);
        Generator g = Generators.get(parts[0]);
        Map<String, String> given = new LinkedHashMap<>();
        if (parts.length > 1 && !parts[1].isEmpty())
            for (String kv : parts[1].split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException(w + ": '" + kv + "' is not K=V");
                given.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        Map<String, Long> p = g.resolve(given);
        List<Op> ops = new ArrayList<>();
        g.generate(p, ops::add);
        return OpSource.of(w, ops);
    }
}
