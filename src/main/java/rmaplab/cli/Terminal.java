package rmaplab.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Whether a standard stream is a terminal, and how wide the terminal is (Linux: /proc/self/fd, stty). */
public final class Terminal {
    private Terminal() {}

    /** Standard output's descriptor number. */
    public static final int STDOUT = 1;
    /** Standard error's descriptor number. */
    public static final int STDERR = 2;

    /** True when descriptor {@code fd} of this process is a terminal (a /dev/pts or /dev/tty device). */
    public static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /**
     * The width to format for: $COLUMNS when set, else the controlling terminal's when standard output is
     * one ('stty size'), else {@code otherwise}.
     */
    public static int columns(int otherwise) {
        String env = System.getenv("COLUMNS");
        if (env != null && env.matches("\\d{2,4}")) return Integer.parseInt(env);
        if (!isTerminal(STDOUT)) return otherwise;
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (!p.waitFor(2, TimeUnit.SECONDS)) p.destroy();
            String[] rc = out.split(" ");
            if (rc.length == 2 && rc[1].matches("\\d+") && Integer.parseInt(rc[1]) >= 40) return Integer.parseInt(rc[1]);
        } catch (IOException e) {
            return otherwise;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return otherwise;
    }
}
