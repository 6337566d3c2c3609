package rmaplab.cli;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import rmaplab.report.Output;

/** The rmaplab command line. Its exit statuses are {@link #EXIT_STATUS}, in --help and in the README. */
@Command(name = "rmaplab", mixinStandardHelpOptions = true, versionProvider = Version.class,
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
        // one command a line, so that a branch adding a command merges without a conflict
        subcommands = {
            RunCommand.class,
            CompareCommand.class,
            SweepCommand.class,
            DesignsCommand.class,
            GenCommand.class,
            BenchCommand.class,
            KernelCheckCommand.class,
            SurveyCommand.class,
            RecordCommand.class,
            ImportCommand.class,
            RaceCommand.class,
            CompletionCommand.class,
            HelpCommand.class,
        })
public final class Main implements java.util.concurrent.Callable<Integer> {
    public static final int OK = 0, VIOLATION = 1, BAD_INPUT = 2, UNAVAILABLE = 3, INTERNAL = 70, OUTPUT_FAILED = 74;

    /** The exit statuses, as the footer of 'rmaplab --help' lists them (the README repeats the list). */
    public static final String EXIT_STATUS = String.join("\n", Main.class.getAnnotation(Command.class).footer()).strip();

    /** The line a command's --help ends its own exit statuses with: the ones every command may return. */
    static final String EXIT_STATUS_ALWAYS = "70 internal error or out of memory, 74 the output could not be written "
            + "whole ('rmaplab --help' lists every status).";

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** No command: the usage on stderr and status 2, as git does. */
    @Override public Integer call() {
        System.err.print(HelpText.of(spec.commandLine()) + "\n");
        return BAD_INPUT;
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
        cl.setExecutionStrategy(Main::executeOrHelp);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            if (ex instanceof CommandLine.UnmatchedArgumentException u && u.getCommandLine().getParent() == null
                    && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
                unknownCommand(err, u.getUnmatched().get(0), u.getCommandLine());
                return BAD_INPUT;
            }
            err.println("rmaplab: " + ex.getMessage());
            err.println("rmaplab: see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            err.flush();
            return BAD_INPUT;
        });
        return cl;
    }

    /** As git says it: "'x' is not a command", the most similar ones, and where the list is. */
    private static void unknownCommand(PrintWriter err, String name, CommandLine top) {
        err.println("rmaplab: '" + name + "' is not an rmaplab command. See 'rmaplab --help'.");
        java.util.List<String> similar = Suggest.similar(name, top.getSubcommands().keySet());
        if (!similar.isEmpty()) {
            err.println();
            err.println(similar.size() == 1 ? "The most similar command is" : "The most similar commands are");
            for (String s : similar) err.println("        " + s);
        }
        err.flush();
    }

    /** --help and --version at any level in rmaplab's own layout (HelpText); otherwise the command. */
    private static int executeOrHelp(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested()) {
                Output.print(HelpText.of(p.commandSpec().commandLine()) + "\n");
                return OK;
            }
            if (p.isVersionHelpRequested()) {
                Output.print(String.join("\n", Version.lines()) + "\n");
                return OK;
            }
        }
        return new CommandLine.RunLast().execute(parsed);
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
