package rmaplab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rmaplab.record.Imports;
import rmaplab.workload.WorkloadException;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Turn a perf recording made with the event set of 'rmaplab record' (perf script text, plain or "
                + "gzip, or a perf.data file) into a workload, and write beside it PREFIX.truth.json: the kernel's own "
                + "count of anon_vma, anon_vma_chain and vm_area_struct allocations and frees, by workload op and by "
                + "kernel call site, with everything the workload could not represent.",
        footer = {"", "Exit status: 0 ok, 2 bad input (FILE:LINE: what is wrong) or an output that cannot be written "
                + "(nothing is left behind), 3 perf is needed (for a .data file) and missing.", "Example: rmaplab import ls.txt.gz -o ls.rmw.gz"})
final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "FILE.txt, FILE.txt.gz (perf script output) or FILE.data.")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "WORKLOAD",
            description = "The workload to write (PREFIX.rmw.gz); the truth goes to PREFIX.truth.json. "
                    + "Default: FILE without its extension, plus .rmw.gz.")
    Path output;

    @Option(names = "--walks", description = "Write a 'walk' of every mapped range of an address space just "
            + "before its last user exits or execs (the default): the oracle then checks a reverse walk of every "
            + "anonymous folio the recorded processes leave, under every design, and the walk figures measure them. "
            + "Without walks every process of a recording has exited by its end, and the oracle has nothing to walk.")
    boolean walksOption;

    @Option(names = "--no-walks", description = "Write no walks: the workload is the recording's ops only.")
    boolean noWalks;

    /** --walks is the default; --no-walks turns it off (both given: an error). */
    static boolean walks(picocli.CommandLine.Model.CommandSpec spec, boolean walks, boolean noWalks) {
        if (walks && noWalks)
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--walks and --no-walks exclude each other");
        return !noWalks;
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        boolean piped = file.toString().equals("-") || (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file));
        if (piped && output == null) {
            System.err.println("rmaplab: import " + file + ": give -o WORKLOAD.rmw.gz (there is no file name to derive it from)");
            return Main.BAD_INPUT;
        }
        Path in;
        try {
            in = Spool.regular(file, ".txt"); // perf script text down a pipe (gzip or plain: the reader looks at the bytes)
        } catch (java.io.IOException e) {
            System.err.println("rmaplab: cannot read " + file + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        Path out = output != null ? output : Imports.defaultWorkload(file);
        return run(in, out, "", walks(spec, walksOption, noWalks));
    }

    /** Imports and prints the summary; shared with record. */
    static int run(Path file, Path out, String perfLog, boolean walks) {
        String why = Main.outputProblem(out);
        if (why != null) {
            System.err.println("rmaplab: cannot write " + out + ": " + why);
            return Main.BAD_INPUT;
        }
        try {
            Imports.Outcome o = Imports.importFile(file, out, null, perfLog, walks);
            rmaplab.report.Output.text(String.join("\n", Imports.summary(o)) + "\n");
            for (String l : Imports.damageLines(o)) System.err.println("rmaplab: warning: damaged recording: " + l);
            return Main.OK;
        } catch (WorkloadException e) {
            System.err.println(e.getMessage());
            return Main.BAD_INPUT;
        } catch (Imports.CannotWrite e) {
            System.err.println("rmaplab: cannot write " + e.path() + ": " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (NoSuchFileException e) {
            System.err.println("rmaplab: " + file + ": no such file");
            return Main.BAD_INPUT;
        } catch (Imports.Unavailable e) {
            System.err.println("rmaplab: " + e.getMessage());
            return Main.UNAVAILABLE;
        } catch (IllegalStateException e) {
            System.err.println("rmaplab: " + file + ": " + e.getMessage());
            return Main.INTERNAL;
        } catch (IOException e) {
            System.err.println("rmaplab: " + file + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
    }
}
