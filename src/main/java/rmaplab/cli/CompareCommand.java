package rmaplab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rmaplab.gen.GenSpec;
import rmaplab.record.Truth;
import rmaplab.report.Json;
import java.nio.charset.StandardCharsets;
import rmaplab.report.Output;
import rmaplab.report.Report;
import rmaplab.report.RunJson;
import rmaplab.report.RunTable;
import rmaplab.rmap.Designs;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
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

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report (tables and "
            + "charts, opens offline; docs/report.md).")
    Path html;

    @Mixin MachineOptions machine;

    @Mixin WideOption layout;

    @Override public Integer call() {
        if (csv && json) {
            System.err.println("rmaplab: --csv and --json exclude each other");
            return Main.BAD_INPUT;
        }
        String htmlWhy = html == null ? null : Main.outputProblem(html);
        if (htmlWhy != null) {
            System.err.println("rmaplab: cannot write " + html + ": " + htmlWhy);
            return Main.BAD_INPUT;
        }
        List<String> names = designs.isEmpty() ? new ArrayList<>(Designs.all().keySet()) : designs;
        List<OpSource> sources = new ArrayList<>();
        List<MachineConfig> configs = new ArrayList<>();
        try {
            for (String d : names) Designs.get(d);
            for (String w : workloads) sources.add(source(w));
        } catch (IllegalArgumentException e) {
            System.err.println("rmaplab: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (WorkloadException e) { // FILE:LINE, as run says it
            System.err.println(e.getMessage());
            return Main.BAD_INPUT;
        }
        // every workload is read and validated before anything is run or printed
        for (int i = 0; i < sources.size(); i++) {
            OpSource src = sources.get(i);
            try {
                configs.add(machine.configFor(workloads.get(i)));
                Runner.validate(src, configs.get(i));
            } catch (Truth.BadTruthException e) {
                System.err.println("rmaplab: " + e.getMessage());
                return Main.BAD_INPUT;
            } catch (WorkloadException e) {
                System.err.println(e.getMessage());
                return Main.BAD_INPUT;
            } catch (IOException e) {
                System.err.println("rmaplab: " + src.name() + ": " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
        CheckMode mode = check ? CheckMode.END : CheckMode.WALKS;
        List<RunResult> all = new ArrayList<>();
        List<Object> docs = new ArrayList<>();
        List<Report.Workload> reported = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            OpSource src = sources.get(i);
            MachineConfig cfg = configs.get(i);
            List<RunResult> runs;
            try (Progress progress = Progress.start("compare " + shortName(src.name()), "workloads", sources.size())) {
                progress.step(i);
                runs = Runner.runAll(progress.counting(src, names.size()), names, cfg, mode,
                        Runtime.getRuntime().availableProcessors());
            } catch (WorkloadException e) {
                System.err.println(e.getMessage());
                return Main.BAD_INPUT;
            } catch (IOException e) {
                System.err.println("rmaplab: " + src.name() + ": " + e.getMessage());
                return Main.BAD_INPUT;
            }
            all.addAll(runs);
            if (html != null) reported.add(new Report.Workload(src.name(), cfg, runs));
            if (json) docs.add(RunJson.document(src.name(), cfg, runs));
            else if (csv) Output.print((i == 0 ? RunJson.CSV_HEADER : "") + RunJson.csv(src.name(), runs));
            else Output.text((i > 0 ? "\n" : "") + RunTable.text(src.name(), cfg, runs, layout.width()), layout.width());
        }
        if (json) Output.print(Json.write(docs) + "\n");
        if (html != null) Output.file(html, out -> out.write(Report.compare(reported).getBytes(StandardCharsets.UTF_8)));
        return Verdict.status(all, !designs.isEmpty());
    }

    /** A workload's name as short as a progress line wants it: a file's own name, a generator spec whole. */
    static String shortName(String name) {
        if (GenSpec.isSpec(name)) return name;
        Path p = Path.of(name).getFileName();
        return p == null ? name : p.toString();
    }

    /**
     * A file (a FIFO, or - for standard input), or gen:NAME[:K=V,...] generated in memory.
     *
     * @throws WorkloadException a file that cannot be read (FILE:0)
     * @throws IllegalArgumentException a generator or parameter that is not known or not valid
     */
    static OpSource source(String w) throws WorkloadException {
        if (!GenSpec.isSpec(w)) return WorkloadArg.source(w);
        return OpSource.of(w, GenSpec.parse(w).ops());
    }
}
