package rmaplab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The exit status of run and compare when a design known to miss mappings misses some. */
class VerdictTest {
    static final String SPLIT = "examples/lazy-split.rmw"; // lazy misses one mapping there (LazyFindingsTest)

    @Test void aKnownFlawMissingIsInTheTableNotTheStatusWithTheDefaultDesigns() {
        for (String cmd : new String[] {"run", "compare"}) {
            CliRun.Out o = CliRun.run(cmd, SPLIT);
            assertEquals(0, o.status(), cmd + ": " + o.err());
            assertTrue(o.out().contains("VIOLATIONS: 1"), o.out());
            assertTrue(o.err().contains("lazy missed mappings, as it is known to"), o.err());
        }
    }

    @Test void aNamedDesignThatMissesFailsTheCommand() {
        for (String cmd : new String[] {"run", "compare"}) {
            assertEquals(1, CliRun.run(cmd, SPLIT, "--design", "lazy").status(), cmd);
            assertEquals(0, CliRun.run(cmd, SPLIT, "--design", "lazy-fixed").status(), cmd);
        }
    }
}
