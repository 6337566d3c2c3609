package rmaplab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rmaplab.kernel.Probe;
import rmaplab.record.EventSet;
import rmaplab.record.Recorder;

@Command(name = "record", mixinStandardHelpOptions = true,
        description = "Run a command under perf with the event set that 'rmaplab import' reads (page faults, the "
                + "mapping syscalls, task events, and the kmem events of the anon_vma, anon_vma_chain and "
                + "vm_area_struct caches), then import it: writes PREFIX.data, PREFIX.txt.gz (perf script text), "
                + "PREFIX.rmw.gz (the workload) and PREFIX.truth.json (the kernel's counts). Needs root; installs perf "
                + "with scripts/install-perf.sh (Debian's linux-perf) when it is missing.",
        footer = {"", "Exit status: 0 ok, 2 bad input, 3 this machine cannot record (not root, perf missing and "
                + "scripts/install-perf.sh could not install it, or no tracepoints).",
                "Example: rmaplab record -o /tmp/ls -- sh -c 'ls / | wc -l'"})
final class RecordCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "PREFIX", description = "Where to write PREFIX.data, .txt.gz, .rmw.gz, .truth.json.")
    String prefix;

    @Option(names = "--print-events", description = "Print the perf command lines (the event set) and exit.")
    boolean printEvents;

    @Option(names = "--walks", description = "Import with walks, the default (see 'rmaplab import --help').")
    boolean walksOption;

    @Option(names = "--no-walks", description = "Import without walks.")
    boolean noWalks;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "CMD", arity = "0..*", description = "The command to record and its arguments (after --).")
    List<String> cmd = new ArrayList<>();

    @Override public Integer call() {
        if (printEvents) {
            System.out.println(EventSet.describe());
            return Main.OK;
        }
        boolean walks = ImportCommand.walks(spec, walksOption, noWalks);
        if (prefix == null || prefix.isEmpty()) {
            System.err.println("rmaplab: record needs -o PREFIX");
            return Main.BAD_INPUT;
        }
        if (cmd.isEmpty()) {
            System.err.println("rmaplab: record needs a command: rmaplab record -o PREFIX -- CMD [ARGS...]");
            return Main.BAD_INPUT;
        }
        String outWhy = Main.outputProblem(Path.of(prefix + ".rmw.gz"));
        if (outWhy != null) {
            System.err.println("rmaplab: cannot write " + prefix + ".*: " + outWhy);
            return Main.BAD_INPUT;
        }
        if (!Recorder.isRoot()) {
            System.err.println("rmaplab: record needs root (the kmem and syscall tracepoints are root-only here)"
                    + (Recorder.findPerf() == null ? "; perf is not installed either (scripts/install-perf.sh, as root)" : ""));
            return Main.UNAVAILABLE;
        }
        String perf = Recorder.findPerf();
        if (perf == null) {
            // the project's own script installs it (Debian's linux-perf); its output goes to stderr
            Path script = Probe.home().resolve("scripts/install-perf.sh");
            System.err.println("rmaplab: perf is not installed: installing it with " + script);
            int st = Recorder.runToStderr(List.of("sh", script.toString()));
            perf = Recorder.findPerf();
            if (st != 0 || perf == null) {
                System.err.println("rmaplab: installing perf failed (" + script + " exited " + st
                        + "): install Debian's linux-perf and record again");
                return Main.UNAVAILABLE;
            }
        }
        try {
            String why = Recorder.checkTracepoints(perf);
            if (why != null) {
                System.err.println("rmaplab: perf cannot record the event set on this machine: " + why);
                return Main.UNAVAILABLE;
            }
            Recorder.Recording r = Recorder.record(perf, prefix, cmd);
            System.out.println("recorded: " + r.data() + " (command exit status " + r.commandStatus() + ")");
            System.out.println("wrote " + r.text());
            return ImportCommand.run(r.text(), Path.of(prefix + ".rmw.gz"), r.perfLog(), walks);
        } catch (IOException e) {
            System.err.println("rmaplab: " + e.getMessage());
            return Main.UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.INTERNAL;
        }
    }
}
