package rmaplab.cli;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import rmaplab.report.Output;

/** The rmaplab command line. Its exit statuses are {@link #EXIT_STATUS}, in --help and in the README. */
@Command(name = "rmaplab", mixinStandardHelpOptions = true, version = "rmaplab 0.1",
        description = "A workbench for the reverse mapping of anonymous memory in Linux: replay workloads against "
                + "rmap designs, check every reverse walk, measure the costs.",
        footer = {"", "Exit status:",
                "  0   ok",
                "  1   the oracle found a walk that missed or invented a mapping (run,",
                "      compare, survey), or the model differs from the kernel (kernel-check)",
                "  2   bad input: an unknown option or design, a missing file, a bad workload",
                "      (FILE:LINE: what is wrong), a bad truth file or recording; the rmaplab",
                "      script also exits 2 when it finds no JDK >= 21 or cannot build",
                "  3   this machine cannot do it: the live kernel cannot be probed",
                "      (kernel-check), /proc is not readable (survey), perf cannot record",
                "      (record, import of a .data file)",
                "  70  internal error (a bug: please report it) or out of memory (the message",
                "      says how to give Java more)",
                "  74  the output could not be written whole (standard output or a file:",
                "      disk full, closed pipe, ...)"},
        subcommands = {RunCommand.class, CompareCommand.class, DesignsCommand.class, GenCommand.class, BenchCommand.class, KernelCheckCommand.class, SurveyCommand.class, RecordCommand.class, ImportCommand.class, RaceCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int OK = 0, VIOLATION = 1, BAD_INPUT = 2, UNAVAILABLE = 3, INTERNAL = 70, OUTPUT_FAILED = 74;

    /** The exit statuses, as the footer of 'rmaplab --help' lists them (the README repeats the list). */
    public static final String EXIT_STATUS = String.join("\n", Main.class.getAnnotation(Command.class).footer()).strip();

    /** The line a command's --help ends its own exit statuses with: the ones every command may return. */
    static final String EXIT_STATUS_ALWAYS = "70 internal error or out of memory, 74 the output could not be written "
            + "whole ('rmaplab --help' lists every status).";

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            PrintWriter err = c.getErr();
            if (ex instanceof Output.Failed f) {
                err.println("rmaplab: " + f.getMessage());
                err.flush();
                return OUTPUT_FAILED;
            }
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

    /**
     * Runs a command line and returns its exit status: the command's own, or
     * {@link #OUTPUT_FAILED} when what it printed on standard output did not
     * all arrive (said on stderr).
     */
    public static int execute(String... args) {
        int status;
        try {
            status = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            System.out.flush();
            System.err.println("rmaplab: out of memory (Java heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB); give it more with RMAPLAB_JAVA_OPTS=-Xmx8g, or run fewer designs at once");
            return INTERNAL;
        } catch (Error e) { // a bug, not an input: said in one line, as the execution exception handler says one
            System.err.println("rmaplab: internal error: " + e
                    + (e instanceof StackOverflowError ? " (RMAPLAB_JAVA_OPTS=-Xss64m gives more stack)" : ""));
            if (System.getenv("RMAPLAB_DEBUG") != null) e.printStackTrace();
            else System.err.println("rmaplab: (set RMAPLAB_DEBUG=1 for the stack trace, and please report it)");
            return INTERNAL;
        }
        Output.Failed f = Output.stdoutFailure();
        if (f == null) return status;
        if (status != OUTPUT_FAILED) System.err.println("rmaplab: " + f.getMessage());
        return OUTPUT_FAILED;
    }

    public static void main(String[] args) {
        System.setOut(Output.watching(new FileOutputStream(FileDescriptor.out)));
        System.exit(execute(args));
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
