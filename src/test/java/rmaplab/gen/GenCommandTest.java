package rmaplab.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rmaplab.cli.CliRun;
import rmaplab.cli.Main;

/** The gen command line and gen:NAME:K=V workloads: parameter checks. */
class GenCommandTest {
    @TempDir Path tmp;

    private static String range(String gen, String param) { return Generators.get(gen).params().get(param).range(); }

    @Test
    void aParameterOutOfRangeIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path out = tmp.resolve("w.rmw");
        CliRun.Out r = CliRun.run("gen", "random", "--param", "tasks=2", "-o", out.toString());
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals("rmaplab: parameter tasks must be a whole number in " + range("random", "tasks") + ", not '2'\n", r.err());
        assertEquals("", r.out());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList());
        }
        r = CliRun.run("gen", "linux-mm", "--param", "regions=4611686018427387904");
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals("rmaplab: parameter regions must be a whole number in " + range("linux-mm", "regions")
                + ", not '4611686018427387904'\n", r.err());
        assertEquals("", r.out());
        r = CliRun.run("gen", "linux-mm", "--param", "walk=yes");
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals("rmaplab: parameter walk must be 0 or 1, not 'yes'\n", r.err());
    }

    @Test
    void compareAndBenchRefuseASpecOutOfRangeNamingIt() {
        for (String cmd : List.of("compare", "bench")) {
            CliRun.Out r = CliRun.run(cmd, "gen:fork-server:apps=0", "--design", "linux");
            assertEquals(Main.BAD_INPUT, r.status(), cmd);
            assertEquals("rmaplab: gen:fork-server:apps=0: parameter apps must be a whole number in "
                    + range("fork-server", "apps") + ", not '0'\n", r.err(), cmd);
            assertEquals("", r.out(), cmd);
        }
    }

    @Test
    void listAndHelpShowEveryRange() {
        String list = CliRun.run("gen", "--list").out(), help = CliRun.run("gen", "--help").out();
        for (Generator g : Generators.all().values())
            for (var e : g.params().entrySet()) {
                String p = e.getKey() + "=" + e.getValue().dflt();
                assertTrue(list.contains("    " + p + " (" + e.getValue().range() + ")  " + e.getValue().description() + "\n"),
                        g.name() + " " + p);
                assertTrue(help.contains("    " + p + "  " + e.getValue().range() + "\n"), g.name() + " " + p);
            }
    }
}
