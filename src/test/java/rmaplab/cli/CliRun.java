package rmaplab.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process for tests, with its standard output and error captured. */
public final class CliRun {
    private CliRun() {}

    /** The exit status and what the command printed. */
    public record Out(int status, String out, String err) {}

    /** Synchronized: System.out and System.err are swapped for the call. */
    public static synchronized Out run(String... args) {
        PrintStream o = System.out, e = System.err;
        ByteArrayOutputStream bo = new ByteArrayOutputStream(), be = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bo, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(be, true, StandardCharsets.UTF_8));
            int st = Main.execute(args);
            return new Out(st, bo.toString(StandardCharsets.UTF_8), be.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }
}
