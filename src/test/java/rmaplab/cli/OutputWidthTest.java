package rmaplab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import rmaplab.report.Table;

/** Every command's default text output, on the shipped examples, fits a 120-column terminal; --wide does not have to. */
class OutputWidthTest {
    static void fits(String what, String out) {
        List<String> over = new ArrayList<>();
        out.lines().filter(l -> l.length() > Table.COLUMNS).forEach(l -> over.add(l.length() + ": " + l));
        assertTrue(over.isEmpty(), what + ": " + over.size() + " line(s) over " + Table.COLUMNS + " columns, first: "
                + (over.isEmpty() ? "" : over.get(0)));
    }

    static CliRun.Out ok(String... args) {
        CliRun.Out o = CliRun.run(args);
        assertTrue(o.status() == 0 || o.status() == 1, String.join(" ", args) + ": status " + o.status() + "\n" + o.err());
        fits(String.join(" ", args), o.out());
        fits(String.join(" ", args) + " (stderr)", o.err());
        return o;
    }

    @Test void runOfEveryExampleFits() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("examples"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".rmw")).sorted().toList()) ok("run", p.toString());
        }
    }

    @Test void theIssuesExampleFitsAndWideKeepsTheSideBySideLayout() {
        CliRun.Out fit = ok("run", "examples/linux-mm-3.rmw");
        CliRun.Out wide = CliRun.run("run", "examples/linux-mm-3.rmw", "--wide");
        assertEquals(0, wide.status(), wide.err());
        // the side-by-side layout: one header line naming every design, wider than a terminal
        String header = wide.out().lines().skip(1).findFirst().orElseThrow();
        assertTrue(header.contains("| linux ") || header.contains("|  linux") || header.matches(".*\\|\\s+linux\\s+\\|.*"), header);
        assertTrue(wide.out().lines().anyMatch(l -> l.length() > Table.COLUMNS), "12 designs side by side fit 120 columns?");
        // the same figures either way: every design's metadata bytes are in both
        for (String n : List.of("2352 B", "1296 B (-45%)")) {
            assertTrue(fit.out().contains(n), n);
            assertTrue(wide.out().contains(n), n);
        }
    }

    @Test void compareSweepDesignsGenFit() {
        ok("compare", "examples/fork-cow.rmw", "examples/mremap-walk-order.rmw", "gen:linux-mm:regions=30,children=30");
        ok("compare", "examples/fork-cow.rmw", "--design", "linux", "--design", "pv");
        ok("sweep", "gen:linux-mm:regions=10", "--vary", "children=1,10,100");
        ok("sweep", "gen:fork-chain:regions=2", "--vary", "depth=2,4", "--vary", "exit-middle=0,1");
        ok("designs");
        ok("gen", "--list");
        ok("bench", "examples/fork-cow.rmw", "--repeat", "1");
    }

    @Test void kernelCheckOfTheRecordingsFits() {
        ok("kernel-check", "recordings/python-pool.rmw.gz", "recordings/postgres.rmw.gz");
    }

    @Test void importSummaryFits(@TempDir Path tmp) {
        ok("import", "recordings/python-pool.txt.gz", "-o", tmp.resolve("p.rmw.gz").toString());
    }

    @Test void surveyOfThisMachineFits() {
        CliRun.Out o = CliRun.run("survey");
        Assumptions.assumeTrue(o.status() != Main.UNAVAILABLE, () -> "this machine's /proc cannot be surveyed: " + o.err());
        assertTrue(o.status() == 0 || o.status() == 1, o.err());
        fits("survey", o.out());
    }

    @Test void everyHelpFitsAndNoExampleIsSplit() {
        CommandLine top = Main.commandLine();
        List<CommandLine> all = new ArrayList<>(List.of(top));
        all.addAll(top.getSubcommands().values());
        for (CommandLine cl : all) {
            String help = HelpText.of(cl, Table.COLUMNS);
            fits(cl.getCommandName() + " --help", help);
            // an example is on one line: every footer line that starts with "rmaplab " is printed whole
            for (String f : cl.getCommandSpec().usageMessage().footer())
                for (String line : f.split("\n")) {
                    String ex = line.strip().replaceFirst("^Examples?:\\s*", "");
                    if (ex.startsWith("rmaplab ")) assertTrue(help.contains(ex), cl.getCommandName() + ": example split: " + ex);
                }
        }
        // in a narrow terminal, words are never cut: each line of help is made of whole words of the wide help
        String narrow = HelpText.of(top.getSubcommands().get("record"), 60);
        String wide = HelpText.of(top.getSubcommands().get("record"), 1000).replaceAll("\\s+", " ");
        for (String line : narrow.split("\n"))
            for (String w : line.strip().split("\\s+")) assertTrue(wide.contains(w), "word cut in narrow help: " + w);
        assertTrue(narrow.contains("PREFIX.truth.json"), narrow);
    }
}
