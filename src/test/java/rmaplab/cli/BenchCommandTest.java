package rmaplab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** bench's table: one row per design and the rows of all designs; bad input. (No timing is asserted.) */
class BenchCommandTest {
    @Test void oneRowPerDesignAndTheRowsOfAll() {
        CliRun.Out r = CliRun.run("bench", "examples/linux-mm-3.rmw", "--design", "linux", "--design", "pv", "--repeat", "1");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("workload examples/linux-mm-3.rmw, 1 timed runs after one warm-up"), lines.get(0));
        assertTrue(lines.get(1).endsWith("| ops | min ms | median ms | max ms | ops/s (median)"), lines.get(1)); // no kernel column
        for (String row : List.of("linux ", "pv ", "all 2, one after another ", "all 2 as compare "))
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(row) && l.matches(".*\\|\\s+17 \\|.*")), row + " in\n" + r.out());
        for (String l : lines) assertTrue(l.length() <= 120, "wider than 120 columns: " + l);
    }

    @Test void badInput() {
        CliRun.Out r = CliRun.run("bench", "examples/linux-mm-3.rmw", "--repeat", "0");
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals("rmaplab: --repeat must be at least 1\n", r.err());
        r = CliRun.run("bench", "examples/linux-mm-3.rmw", "--design", "nosuch");
        assertEquals(Main.BAD_INPUT, r.status());
    }
}
