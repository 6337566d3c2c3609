package rmaplab.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rmaplab.gen.Generator;
import rmaplab.gen.Generators;
import rmaplab.report.Output;
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
        f.addAll(List.of("", "Exit status: 0 ok, 2 bad input (an unknown generator or parameter, a value outside its "
                        + "range, a missing output folder), " + Main.EXIT_STATUS_ALWAYS, "",
                "Examples:", "  rmaplab gen --list",
                "  rmaplab gen linux-mm --param regions=1000 --param children=1000 -o /tmp/linux-mm.rmw.gz",
                "  rmaplab gen fork-server > /tmp/fs.rmw"));
        spec.usageMessage().footer(f.toArray(String[]::new));
    }

    @Override public Integer call() {
        if (list || name == null) {
            StringBuilder b = new StringBuilder();
            if (!list) b.append("rmaplab: gen needs a generator NAME; the generators are:\n");
            for (Generator g : Generators.all().values()) {
                b.append(g.name()).append(": ").append(g.description()).append('\n');
                g.params().forEach((k, v) -> b.append("    ").append(k).append('=').append(v.dflt())
                        .append(" (").append(v.range()).append(")  ").append(v.description()).append('\n'));
            }
            if (list) {
                Output.text(b.toString());
                return Main.OK;
            }
            System.err.print(rmaplab.report.Text.fit(b.toString(), rmaplab.report.Table.COLUMNS)); // a usage error, as git's
            return Main.BAD_INPUT;
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
        // a write error is an Output.Failed, which Main reports with status 74 (OUTPUT_FAILED)
        if (output != null) Output.file(output, out -> writeTo(out, output.getFileName().toString().endsWith(".gz"), g, p));
        else writeStdout(g, p);
        return Main.OK;
    }

    /** The header comment, then the ops as the generator makes them (never all in memory). */
    private void write(WorkloadWriter w, Generator g, Map<String, Long> p) throws IOException {
        w.comment(g.comment(p) + "\nrmaplab gen " + name + params(p));
        try {
            g.generate(p, op -> {
                try {
                    w.write(op);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * -o FILE, through {@link Output#file}: written under a temporary name in
     * FILE's folder and renamed once complete, so that a failed or killed gen
     * never leaves a partial FILE (a device or a pipe is written in place).
     */
    private void writeTo(OutputStream out, boolean gzip, Generator g, Map<String, Long> p) throws IOException {
        OutputStream s = gzip ? new GZIPOutputStream(out, 1 << 16) : out;
        try (WorkloadWriter w = WorkloadWriter.of(new BufferedWriter(new OutputStreamWriter(s, StandardCharsets.UTF_8), 1 << 16))) {
            write(w, g, p);
        }
    }

    /**
     * Standard output, checked after every block written: on a full disk or
     * a closed pipe, gen stops there with {@link Output.Failed} (status 74)
     * instead of generating the rest into the void.
     */
    private void writeStdout(Generator g, Map<String, Long> p) {
        PrintStream ps = System.out;
        OutputStream checked = new OutputStream() {
            @Override public void write(int b) { write(new byte[] {(byte) b}, 0, 1); }

            @Override public void write(byte[] b, int off, int len) {
                ps.write(b, off, len);
                Output.Failed f = Output.stdoutFailure();
                if (f != null) throw f;
            }
        };
        // closing the writer flushes its last block through the check; standard output stays open
        try (WorkloadWriter w = WorkloadWriter.of(new BufferedWriter(new OutputStreamWriter(checked, StandardCharsets.UTF_8), 1 << 16))) {
            write(w, g, p);
        } catch (IOException e) {
            throw new Output.Failed("the standard output", e);
        }
    }

    private static String params(Map<String, Long> p) {
        StringBuilder b = new StringBuilder();
        for (var e : p.entrySet()) b.append(" --param ").append(e.getKey()).append('=').append(e.getValue());
        return b.toString();
    }

    static List<String> names() { return List.copyOf(Generators.all().keySet()); }
}
