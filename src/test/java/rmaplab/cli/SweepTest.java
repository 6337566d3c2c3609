package rmaplab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'sweep': the grid, the wide CSV (a column per parameter and per figure), and its refusals. */
class SweepTest {
    static List<String> split(String line) { return Arrays.asList(line.split(",", -1)); }

    @Test void theWideCsvHasAColumnPerParameterAndARowPerPointAndDesign(@TempDir Path tmp) throws Exception {
        Path csv = tmp.resolve("s.csv");
        CliRun.Out o = CliRun.run("sweep", "gen:linux-mm:regions=20", "--vary", "children=1,10,100", "--vary", "walk=0,1",
                "--design", "linux", "--design", "pv", "--csv", csv.toString());
        assertEquals(0, o.status(), o.err());
        List<String> lines = Files.readAllLines(csv);
        List<String> head = split(lines.get(0));
        assertEquals(List.of("regions", "children", "base", "walk", "design"), head.subList(0, 5));
        assertEquals(1 + 3 * 2 * 2, lines.size()); // 3 x 2 points, 2 designs each
        int children = head.indexOf("children"), walk = head.indexOf("walk"), design = head.indexOf("design");
        int visits = head.indexOf("walks.visits"), anonVma = head.indexOf("objects.anon_vma.allocated");
        assertTrue(visits > 0 && anonVma > 0, head.toString());
        // the first --vary varies slowest
        assertEquals(List.of("1", "1", "1", "1", "10"), lines.subList(1, 6).stream().map(l -> split(l).get(children)).toList());
        // every point's figures are those 'compare' gives for the same generated workload
        for (String l : lines.subList(1, lines.size())) {
            List<String> row = split(l);
            String spec = "gen:linux-mm:regions=20,children=" + row.get(children) + ",base=65536,walk=" + row.get(walk);
            CliRun.Out c = CliRun.run("compare", spec, "--design", row.get(design), "--csv");
            assertEquals(0, c.status(), c.err());
            assertTrue(c.out().contains("," + row.get(design) + ",walks.visits," + row.get(visits) + "\n"), spec + "\n" + c.out());
            if (row.get(design).equals("linux"))
                assertTrue(c.out().contains(",objects.anon_vma.allocated," + row.get(anonVma) + "\n"), c.out());
            else assertEquals("", row.get(anonVma)); // pv has no anon_vma: an empty cell, not a zero
        }
        // walk=0 workloads ask for no walk: no visit at all
        assertTrue(lines.stream().skip(1).filter(l -> split(l).get(walk).equals("0")).allMatch(l -> split(l).get(visits).equals("0")));
    }

    @Test void badGridsAreRefusedBeforeAnythingRuns(@TempDir Path tmp) {
        CliRun.Out o = CliRun.run("sweep", "gen:linux-mm", "--vary", "kids=1,2");
        assertEquals(Main.BAD_INPUT, o.status());
        assertTrue(o.err().contains("has no parameter 'kids'"), o.err());
        o = CliRun.run("sweep", "gen:linux-mm", "--vary", "children=1,20000");
        assertEquals(Main.BAD_INPUT, o.status());
        assertTrue(o.err().contains("children"), o.err());
        o = CliRun.run("sweep", "examples/fork-cow.rmw", "--vary", "children=1");
        assertEquals(Main.BAD_INPUT, o.status());
        o = CliRun.run("sweep", "gen:linux-mm");
        assertEquals(Main.BAD_INPUT, o.status());
        assertTrue(o.err().contains("--vary"), o.err());
        o = CliRun.run("sweep", "--preset", "nope");
        assertEquals(Main.BAD_INPUT, o.status());
        assertTrue(o.err().contains("walk-vs-children"), o.err());
        o = CliRun.run("sweep", "gen:linux-mm:regions=2", "--vary", "children=1", "--csv", tmp.resolve("no/such/dir.csv").toString());
        assertEquals(Main.BAD_INPUT, o.status());
        assertEquals("", o.out());
    }

    @Test void aPresetIsItsWorkloadAndValues() {
        CliRun.Out o = CliRun.run("sweep", "--preset", "walk-vs-depth", "--vary", "regions=1", "--design", "linux", "--csv", "-");
        assertEquals(0, o.status(), o.err());
        List<String> lines = o.out().lines().toList();
        int depth = split(lines.get(0)).indexOf("depth");
        assertEquals(List.of("5", "10", "20", "40", "80", "160", "320"),
                lines.stream().skip(1).map(l -> split(l).get(depth)).toList());
    }
}
