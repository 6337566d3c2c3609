package rmaplab.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
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
        try (WorkloadWriter w = output != null ? WorkloadWriter.create(output)
                : WorkloadWriter.of(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)))) {
            w.comment(g.comment(p) + "\nrmaplab gen " + name + params(p));
            g.generate(p, op -> {
                try {
                    w.write(op);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("rmaplab: cannot write " + (output == null ? "standard output" : output) + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        return Main.OK;
    }

    private static String params(Map<String, Long> p) {
        StringBuilder b = new StringBuilder();
        for (var e : p.entrySet()) b.append(" --param ").append(e.getKey()).append('=').append(e.getValue());
        return b.toString();
    }

    static List<String> names() { return List.copyOf(Generators.all().keySet()); }
}
