package rmaplab.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rmaplab.record.Truth;
import rmaplab.report.Json;
import rmaplab.report.Output;
import rmaplab.report.RunJson;
import rmaplab.report.RunTable;
import rmaplab.rmap.Designs;
import rmaplab.run.CheckMode;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.WorkloadSource;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a workload file on one simulated machine per design and print the ledgers at the "
                + "measurement point (the end of the workload).",
        footer = {"", Verdict.EXIT_STATUS,
                "Example: rmaplab run examples/linux-mm-3.rmw --design pv --check"})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE",
            description = "A workload file (rmaplab-workload 1), plain or gzip; - reads standard input.")
    String file;

    @Option(names = "--design", paramLabel = "NAME",
            description = "A design to run (repeatable). Default: every design ('rmaplab designs' lists them).")
    List<String> designs = new ArrayList<>();

    @Option(names = "--check", description = "Also let the oracle walk every live folio at the end "
            + "(walks the workload asks for are always checked).")
    boolean check;

    @Option(names = "--check-every-op", description = "Let the oracle walk every live folio after every op (slow).")
    boolean checkEveryOp;

    @Option(names = "--json", description = "Print the figures as JSON (field names in the README).")
    boolean json;

    @Option(names = "--csv", description = "Print CSV: workload,design,figure,value (as 'compare --csv').")
    boolean csv;

    @Mixin MachineOptions machine;

    @Mixin WideOption layout;

    @Override public Integer call() {
        if (csv && json) {
            System.err.println("rmaplab: --csv and --json exclude each other");
            return Main.BAD_INPUT;
        }
        List<String> names = designs.isEmpty() ? new ArrayList<>(Designs.all().keySet()) : designs;
        for (String d : names) {
            try {
                Designs.get(d);
            } catch (IllegalArgumentException e) {
                System.err.println("rmaplab: " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
        WorkloadSource in;
        try {
            in = WorkloadSource.of(file);
        } catch (WorkloadException e) {
            System.err.println(e.getMessage());
            return Main.BAD_INPUT;
        }
        MachineConfig cfg;
        try {
            cfg = machine.config(in.file());
        } catch (Truth.BadTruthException e) {
            System.err.println("rmaplab: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        CheckMode mode = checkEveryOp ? CheckMode.EVERY_OP : check ? CheckMode.END : CheckMode.WALKS;
        List<RunResult> runs;
        try (Progress progress = Progress.start("run " + CompareCommand.shortName(in.name()), "", 1)) {
            runs = Runner.runAll(progress.counting(WorkloadArg.source(in), names.size()), names, cfg, mode,
                    Runtime.getRuntime().availableProcessors());
        } catch (WorkloadException e) {
            System.err.println(e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            System.err.println("rmaplab: " + in.name() + ": " + e.getMessage());
            return Main.BAD_INPUT;
        } finally {
            in.close();
        }
        if (json) Output.print(Json.write(RunJson.document(in.name(), cfg, runs)) + "\n");
        else if (csv) Output.print(RunJson.CSV_HEADER + RunJson.csv(in.name(), runs));
        else Output.text(RunTable.text(in.name(), cfg, runs, layout.width()), layout.width());
        return Verdict.status(runs, !designs.isEmpty());
    }
}
