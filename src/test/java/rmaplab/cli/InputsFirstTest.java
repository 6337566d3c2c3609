package rmaplab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command taking several inputs reads and validates every one before it
 * prints anything: a bad input anywhere gives its error, status 2 and an
 * empty standard output, never the results of the inputs before it.
 */
class InputsFirstTest {
    @TempDir Path tmp;

    static final String GOOD = "examples/fork-cow.rmw", OTHER = "examples/linux-mm-3.rmw";

    Path bad() throws Exception {
        Path b = tmp.resolve("bad.rmw");
        Files.writeString(b, "rmaplab-workload 1\nP spawn\nP mmap 0x1000 2 rw- anon\nP frobnicate 0x1000\n");
        return b;
    }

    @Test void compareWithABadSecondWorkloadPrintsNothing() throws Exception {
        String b = bad().toString();
        for (String[] format : new String[][] {{}, {"--csv"}, {"--json"}}) {
            String[] args = new String[4 + format.length];
            args[0] = "compare";
            args[1] = GOOD;
            args[2] = b;
            args[3] = OTHER;
            System.arraycopy(format, 0, args, 4, format.length);
            CliRun.Out o = CliRun.run(args);
            assertEquals(Main.BAD_INPUT, o.status(), String.join(" ", args));
            assertEquals("", o.out(), String.join(" ", args));
            assertEquals(b + ":4: unknown op 'frobnicate'\n", o.err(), String.join(" ", args));
        }
    }

    @Test void compareWithAMissingSecondFilePrintsNothing() {
        CliRun.Out o = CliRun.run("compare", GOOD, "/nonexistent", OTHER);
        assertEquals(Main.BAD_INPUT, o.status());
        assertEquals("", o.out());
        assertEquals("/nonexistent:0: no such file\n", o.err()); // FILE:LINE, as run and the reader say it
    }

    @Test void compareWithABadLastGeneratorPrintsNothing() {
        CliRun.Out o = CliRun.run("compare", GOOD, "gen:linux-mm:regions=x");
        assertEquals(Main.BAD_INPUT, o.status());
        assertEquals("", o.out());
    }

    @Test void kernelCheckWithABadSecondFilePrintsNothing() throws Exception {
        String b = bad().toString();
        CliRun.Out o = CliRun.run("kernel-check", "recordings/shell.rmw.gz", b);
        assertEquals(Main.BAD_INPUT, o.status());
        assertEquals("", o.out());
        assertEquals(b + ":4: unknown op 'frobnicate'\n", o.err());
        o = CliRun.run("kernel-check", "recordings/shell.rmw.gz", "/nonexistent");
        assertEquals(Main.BAD_INPUT, o.status());
        assertEquals("", o.out());
        assertEquals("/nonexistent:0: no such file\n", o.err());
    }
}
