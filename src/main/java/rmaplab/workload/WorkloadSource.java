package rmaplab.workload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A workload named on a command line, which can be opened more than once (a
 * run reads it once to check it, then once per design): a regular file, or a
 * stream, which can be read only once — {@value #STDIN} for standard input, a
 * FIFO such as bash's {@code <(...)}, {@code /dev/stdin} on a pipe. A stream is
 * copied to a temporary file as it is first read (its bytes as they come, gzip
 * or not) and read from there afterwards; {@link #close} removes the copy
 * (else it goes when the JVM exits). The first reading checks every line as it
 * goes, so a stream that is no workload (zeros, a binary) is refused after its
 * first line, not copied whole.
 *
 * <p>Errors name standard input {@value #STDIN_NAME}.
 */
public final class WorkloadSource implements AutoCloseable {
    /** The command-line argument for standard input. */
    public static final String STDIN = "-";
    /** The name messages give standard input. */
    public static final String STDIN_NAME = "<stdin>";

    /** Opens the stream, once. */
    private interface Opener {
        InputStream open() throws IOException;
    }

    private final String name;
    private final Path file;
    private final Opener stream;
    private Path copy;
    private boolean copied, streamTaken;

    private WorkloadSource(String name, Path file, Opener stream) {
        this.name = name;
        this.file = file;
        this.stream = stream;
    }

    /** The workload an argument names: {@value #STDIN}, or a path (see {@link #of(Path)}). */
    public static WorkloadSource of(String arg) throws WorkloadException {
        return arg.equals(STDIN) ? ofStream(STDIN_NAME, System.in) : of(Path.of(arg));
    }

    /**
     * A path: a regular file is read where it is; a FIFO or a socket as a
     * stream. What is missing, a directory or a device is refused here (line 0).
     */
    public static WorkloadSource of(Path p) throws WorkloadException {
        if (LineInput.checkKind(p)) return new WorkloadSource(p.toString(), p, null);
        return new WorkloadSource(p.toString(), null, () -> Files.newInputStream(p));
    }

    /** A stream, read once and kept for reading again; errors name it {@code name}. */
    public static WorkloadSource ofStream(String name, InputStream in) { return new WorkloadSource(name, null, () -> in); }

    /** The name errors are reported under: the path as given, or {@value #STDIN_NAME}. */
    public String name() { return name; }

    /** The regular file, or null for a stream (no truth file can be beside it). */
    public Path file() { return file; }

    /** A reader from the start of the workload. */
    public synchronized WorkloadReader open() throws WorkloadException {
        if (file != null) return WorkloadReader.open(file);
        if (copied) {
            try {
                return WorkloadReader.open(name, Files.newInputStream(copy));
            } catch (IOException e) {
                throw new WorkloadException(name, 0, "cannot read the copy kept of it (" + copy + "): " + LineInput.reason(e));
            }
        }
        if (streamTaken)
            throw new WorkloadException(name, 0, "opened again before its first reading reached its end (a stream is read once)");
        streamTaken = true;
        Tee tee;
        try {
            copy = Files.createTempFile("rmaplab-", ".workload");
            copy.toFile().deleteOnExit();
            tee = new Tee(stream.open(), Files.newOutputStream(copy));
        } catch (IOException e) {
            throw new WorkloadException(name, 0, "cannot read: " + LineInput.reason(e));
        }
        return WorkloadReader.open(name, tee);
    }

    /** Copies what is read; the copy is complete when the end of the stream has been read. */
    private final class Tee extends FilterInputStream {
        private final OutputStream out;

        Tee(InputStream in, OutputStream out) {
            super(in);
            this.out = out;
        }

        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) out.write(b, off, n);
            else if (n < 0) {
                synchronized (WorkloadSource.this) {
                    if (!copied) {
                        out.close();
                        copied = true;
                    }
                }
            }
            return n;
        }

        /** Skipped bytes are read, so that the copy has them too. */
        @Override public long skip(long n) throws IOException {
            long done = 0;
            byte[] b = new byte[8192];
            while (done < n) {
                int r = read(b, 0, (int) Math.min(b.length, n - done));
                if (r < 0) break;
                done += r;
            }
            return done;
        }

        @Override public boolean markSupported() { return false; }

        @Override public void close() throws IOException {
            try {
                out.close();
            } finally {
                super.close();
            }
        }
    }

    /** Removes the copy of a stream. */
    @Override public synchronized void close() {
        if (copy == null) return;
        try {
            Files.deleteIfExists(copy);
        } catch (IOException ignored) {
            // deleteOnExit removes it at the latest
        }
    }
}
