package rmaplab.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rmaplab.gen.Generator;
import rmaplab.gen.Generators;
import rmaplab.workload.WorkloadWriter;

@Command(name = "gen", mixinStandardHelpOptions = true,
        description = "Write a generated workload (to standard output, or to -o FILE; FILE.gz is compressed).")
final class GenCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The generator ('--list' shows them).")
    String name;

    @Option(names = "--param", paramLabel = "K=V", description = "A parameter (repeatable), within its range (below).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write here instead of standard output (under a temporary name in FILE's folder, renamed "
                    + "to FILE once complete).")
    Path output;

    @Option(names = "--list", description = "List the generators and their parameters.")
    boolean list;

    /** The help's footer: examples, and every generator's parameters with their defaults and ranges. */
    @Spec void footer(CommandSpec spec) {
        List<String> f = new ArrayList<>(List.of("", "Parameters (NAME: K=DEFAULT RANGE; 'gen --list' says what they mean):"));
        for (Generator g : Generators.all().values()) {
            f.add("  " + g.name() + ":");
            g.params().forEach((k, v) -> f.add("    " + k + "=" + v.dflt() + "  " + v.range()));
        }
        f.addAll(List.of("", "Exit status: 0 written, 2 bad input (an unknown generator or parameter, a value outside "
                        + "its range) or the output could not be written.", "",
                "Examples:", "  rmaplab gen --list",
                "  rmaplab gen linux-mm --param regions=1000 --param children=1000 -o /tmp/linux-mm.rmw.gz",
                "  rmaplab gen fork-server > /tmp/fs.rmw"));
        spec.usageMessage().footer(f.toArray(String[]::new));
    }

    @Override public Integer call() {
        if (list || name == null) {
            for (Generator g : Generators.all().values()) {
                System.out.println(g.name() + ": " + g.description());
                g.params().forEach((k, v) -> System.out.println(
                        "    " + k + "=" + v.dflt() + " (" + v.range() + ")  " + v.description()));
            }
            return name == null && !list ? Main.BAD_INPUT : Main.OK;
        }
        Generator g;
        Map<String, Long> p;
        try {
            g = Generators.get(name);
            p = g.resolve(params);
        } catch (IllegalArgumentException e) {
            System.err.println("rmaplab: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        String why = output == null ? null : Main.outputProblem(output);
        if (why != null) {
            System.err.println("rmaplab: cannot write " + output + ": " + why);
            return Main.BAD_INPUT;
        }
        try {
            if (output != null) writeFile(g, p, output);
            else writeStdout(g, p);
        } catch (IOException | UncheckedIOException e) {
            IOException x = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            System.err.println("rmaplab: cannot write " + (output == null ? "standard output" : output) + ": "
                    + (x.getMessage() != null ? x.getMessage() : x.getClass().getSimpleName()));
            return Main.OUTPUT_FAILED;
        }
        return Main.OK;
    }

    private void write(WorkloadWriter w, Generator g, Map<String, Long> p) throws IOException {
        w.comment(g.comment(p) + "\nrmaplab gen " + name + params(p));
        g.generate(p, op -> {
            try {
                w.write(op);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Writes FILE under a temporary name in its folder and renames it when
     * complete, so a failed or killed gen never leaves a partial FILE (the
     * temporary file is removed on failure, and on SIGINT or SIGTERM). A
     * device or a pipe (/dev/null, /dev/stdout) is written in place; a
     * symbolic link is followed, and the file it names is replaced.
     */
    private void writeFile(Generator g, Map<String, Long> p, Path given) throws IOException {
        if (Files.isDirectory(given)) throw new IOException("it is a folder");
        if (Files.exists(given) && !Files.isRegularFile(given)) {
            try (WorkloadWriter w = WorkloadWriter.create(given)) {
                write(w, g, p);
            }
            return;
        }
        Path out = given.toAbsolutePath();
        for (int i = 0; i < 40 && Files.isSymbolicLink(out); i++) out = out.resolveSibling(Files.readSymbolicLink(out));
        String fn = out.getFileName().toString();
        // the same suffix as FILE: WorkloadWriter compresses by the name
        Path tmp = out.resolveSibling("." + fn + "." + ProcessHandle.current().pid() + ".part"
                + (fn.endsWith(".gz") ? ".gz" : ""));
        Thread cleanup = new Thread(() -> {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the JVM is going away: nothing more to do
            }
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean done = false;
        try {
            try (WorkloadWriter w = WorkloadWriter.create(tmp)) {
                write(w, g, p);
            }
            try {
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(tmp);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // SIGINT or SIGTERM arrived: the hook removes the temporary file
            }
        }
    }

    /**
     * Writes to standard output. A PrintStream keeps its write errors to
     * itself, so each block written is checked: a full disk or a closed pipe
     * stops gen with an error instead of a silent exit 0.
     */
    private void writeStdout(Generator g, Map<String, Long> p) throws IOException {
        PrintStream ps = System.out;
        OutputStream checked = new OutputStream() {
            @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

            @Override public void write(byte[] b, int off, int len) throws IOException {
                ps.write(b, off, len);
                if (ps.checkError()) throw new IOException(FAILED);
            }

            @Override public void flush() throws IOException {
                if (ps.checkError()) throw new IOException(FAILED);
            }
        };
        WorkloadWriter w = WorkloadWriter.of(new BufferedWriter(new OutputStreamWriter(checked, StandardCharsets.UTF_8), 1 << 16));
        write(w, g, p);
        w.close(); // flushes the last block through the check; standard output itself stays open
    }

    /** Standard output's write errors come without their reason (PrintStream keeps only that one happened). */
    private static final String FAILED = "a write failed (a full disk, or a pipe whose reader is gone?)";

    private static String params(Map<String, Long> p) {
        StringBuilder b = new StringBuilder();
        for (var e : p.entrySet()) b.append(" --param ").append(e.getKey()).append('=').append(e.getValue());
        return b.toString();
    }

    static List<String> names() { return List.copyOf(Generators.all().keySet()); }
}
