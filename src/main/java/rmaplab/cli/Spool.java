package rmaplab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Standard input ("-") or a pipe (a FIFO, /dev/stdin, bash's <(...)) as a
 * regular file, for the commands that read an input more than once
 * (kernel-check runs a workload on the model and on the kernel; import
 * reads a recording in passes). The copy lives in a temporary folder removed
 * when the JVM exits, under the name {@code stdin} plus the given suffix.
 */
final class Spool {
    private Spool() {}

    /** {@code p} itself when it is a regular file or missing (the caller says so); else a regular copy of its bytes. */
    static Path regular(Path p, String suffix) throws IOException {
        boolean stdin = p.toString().equals("-");
        if (!stdin && (!Files.exists(p) || Files.isRegularFile(p) || Files.isDirectory(p))) return p;
        Path dir = Files.createTempDirectory("rmaplab-stdin");
        Path copy = dir.resolve((stdin ? "stdin" : p.getFileName().toString()) + suffix);
        try (InputStream in = stdin ? System.in : Files.newInputStream(p)) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        copy.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return copy;
    }
}
