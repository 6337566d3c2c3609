package rmaplab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Output that could not be written whole is an error: standard output on a
 * full device makes the command say so and exit 74, whatever it printed.
 * Run as the user runs it, in a JVM of its own with its standard output on
 * /dev/full (skipped where there is none).
 */
class WriteErrorTest {
    static final Path FULL = Path.of("/dev/full");

    record Exit(int status, String err) {}

    static Exit toDevFull(String... args) throws Exception {
        assumeTrue(Files.exists(FULL) && Files.isWritable(FULL), "no writable /dev/full on this machine");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(FULL.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command did not end");
        return new Exit(p.exitValue(), err);
    }

    @Test void runToAFullDevice() throws Exception {
        Exit e = toDevFull("run", "examples/fork-cow.rmw", "--design", "linux");
        assertEquals(Main.OUTPUT_FAILED, e.status(), e.err());
        assertEquals("rmaplab: cannot write standard output: No space left on device\n", e.err());
    }

    @Test void compareJsonToAFullDevice() throws Exception {
        Exit e = toDevFull("compare", "examples/fork-cow.rmw", "--json", "--design", "linux");
        assertEquals(Main.OUTPUT_FAILED, e.status(), e.err());
        assertEquals("rmaplab: cannot write standard output: No space left on device\n", e.err());
    }

    @Test void aCommandThatPrintsLittleToAFullDevice() throws Exception {
        Exit e = toDevFull("designs");
        assertEquals(Main.OUTPUT_FAILED, e.status(), e.err());
        Exit h = toDevFull("--help");
        assertEquals(Main.OUTPUT_FAILED, h.status(), h.err());
    }

    @Test void genToAFullDeviceSaysItOnce() throws Exception {
        Exit e = toDevFull("gen", "linux-mm");
        assertEquals(Main.OUTPUT_FAILED, e.status(), e.err());
        assertTrue(e.err().startsWith("rmaplab: cannot write standard output: "), e.err());
        assertEquals(1, e.err().lines().count(), e.err());
    }

    @Test void badInputStaysBadInput() throws Exception {
        // nothing was printed, so nothing failed to be written: the status is the input's
        Exit e = toDevFull("run", "/nonexistent");
        assertEquals(Main.BAD_INPUT, e.status(), e.err());
    }
}
