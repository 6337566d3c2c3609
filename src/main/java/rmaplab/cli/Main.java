package rmaplab.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The rmaplab command line. Exit status: 0 ok, 1 oracle violation or difference, 2 bad input, 3 cannot probe. */
@Command(name = "rmaplab", mixinStandardHelpOptions = true, version = "rmaplab 0.1",
        description = "A workbench for the reverse mapping of anonymous memory in Linux: replay workloads against "
                + "rmap designs, check every reverse walk, measure the costs.",
        subcommands = {RunCommand.class, CompareCommand.class, DesignsCommand.class, GenCommand.class, BenchCommand.class, KernelCheckCommand.class, SurveyCommand.class, RecordCommand.class, ImportCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int OK = 0, VIOLATION = 1, BAD_INPUT = 2, UNAVAILABLE = 3, INTERNAL = 70;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            PrintWriter err = c.getErr();
            err.println("rmaplab: internal error: " + ex);
            if (System.getenv("RMAPLAB_DEBUG") != null) ex.printStackTrace(err);
            else err.println("rmaplab: (set RMAPLAB_DEBUG=1 for the stack trace, and please report it)");
            err.flush();
            return INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("rmaplab: " + ex.getMessage());
            err.println("rmaplab: see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            err.flush();
            return BAD_INPUT;
        });
        return cl;
    }

    public static void main(String[] args) {
        int status;
        try {
            status = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            System.out.flush();
            System.err.println("rmaplab: out of memory (Java heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB); give it more with RMAPLAB_JAVA_OPTS=-Xmx8g, or run fewer designs at once");
            status = INTERNAL;
        }
        System.exit(status);
    }

    /**
     * Why an output file cannot be written where it is asked for (its folder is missing, is not a
     * folder, or is not writable), or null when it can be tried.
     */
    static String outputProblem(java.nio.file.Path out) {
        java.nio.file.Path dir = out.toAbsolutePath().getParent();
        if (dir == null) return null;
        if (!java.nio.file.Files.exists(dir)) return "no such folder: " + dir;
        if (!java.nio.file.Files.isDirectory(dir)) return "not a folder: " + dir;
        if (!java.nio.file.Files.isWritable(dir)) return "cannot write in " + dir;
        return null;
    }
}
