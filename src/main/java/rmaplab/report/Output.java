package rmaplab.report;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadWriter;

/**
 * Where reports go, with every write error noticed: a report that could not
 * be written whole is an error, never a silent truncation. Standard output
 * is a {@link Watched} stream (a PrintStream alone only tells that an error
 * happened, not which); a file is written under a temporary name beside it
 * and renamed when complete, so that it is either whole or absent.
 */
public final class Output {
    private Output() {}

    /** Output that could not be written; its message names what and why. */
    public static final class Failed extends RuntimeException {
        public Failed(String what, IOException cause) {
            super("cannot write " + what + ": " + reason(cause), cause);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or folder";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A print stream that keeps the first error its writes met. */
    public static final class Watched extends PrintStream {
        private final Recorder recorder;

        private Watched(Recorder r, java.nio.charset.Charset cs) {
            super(r, true, cs);
            this.recorder = r;
        }

        /** The first write error, or null. */
        public IOException failure() {
            flush();
            return recorder.failure;
        }
    }

    private static final class Recorder extends FilterOutputStream {
        IOException failure;

        Recorder(OutputStream out) { super(new BufferedOutputStream(out, 1 << 16)); }

        @Override public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw keep(e);
            }
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw keep(e);
            }
        }

        @Override public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw keep(e);
            }
        }

        private IOException keep(IOException e) {
            if (failure == null) failure = e;
            return e;
        }
    }

    /** A watched print stream over {@code out}, in the character set of today's standard output. */
    public static Watched watching(OutputStream out) { return new Watched(new Recorder(out), System.out.charset()); }

    /**
     * Why what was printed on standard output so far did not all arrive, or
     * null: the error a {@link Watched} stream kept, or, for another stream,
     * the error it signals.
     */
    public static Failed stdoutFailure() {
        if (System.out instanceof Watched w) {
            IOException e = w.failure();
            return e == null ? null : new Failed("standard output", e);
        }
        return System.out.checkError() ? new Failed("standard output", new IOException("write error")) : null;
    }

    /** Prints a report on standard output; throws {@link Failed} when it could not all be written. */
    public static void print(String s) {
        System.out.print(s);
        System.out.flush();
        Failed f = stdoutFailure();
        if (f != null) throw f;
    }

    /** Prints text for people on standard output, its prose wrapped to {@code width} ({@link Text#fit}). */
    public static void text(String s, int width) { print(Text.fit(s, width)); }

    /** Prints text for people in {@link Table#COLUMNS} columns. */
    public static void text(String s) { text(s, Table.COLUMNS); }

    /** Writes a file's content. */
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} whole or not at all: under a temporary name in
     * its folder, synced, then renamed over it. A target that exists and is
     * not a regular file (a device, a pipe), or any path under /dev or /proc
     * (/dev/stdout), is written in place, as it cannot be replaced.
     */
    public static void file(Path target, Content content) {
        try {
            Path abs = target.toAbsolutePath().normalize();
            boolean special = abs.startsWith("/dev") || abs.startsWith("/proc"); // /dev/stdout may be a link to a regular file
            if (special || (Files.exists(target) && !Files.isRegularFile(target))) {
                if (Files.isDirectory(target)) throw new IOException("it is a folder");
                try (OutputStream out = Files.newOutputStream(target)) {
                    content.writeTo(out);
                }
                return;
            }
            Path real = target;
            while (Files.isSymbolicLink(real)) real = real.resolveSibling(Files.readSymbolicLink(real)); // the file it names, made if missing
            Path tmp = real.resolveSibling("." + real.getFileName() + ".part-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
            Thread cleanup = new Thread(() -> { // SIGINT or SIGTERM half-way: no temporary file left behind
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the JVM is going away: nothing more to do
                }
            });
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    content.writeTo(new Unclosed(Channels.newOutputStream(ch)));
                    ch.force(true);
                }
                move(tmp, real);
            } finally {
                Files.deleteIfExists(tmp);
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        } catch (IOException e) {
            throw new Failed(target.toString(), e);
        }
    }

    /** The content's stream: closing it leaves the file open, to be synced before the rename. */
    private static final class Unclosed extends FilterOutputStream {
        Unclosed(OutputStream out) { super(out); }

        @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

        @Override public void close() throws IOException { flush(); }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A workload file (gzip-compressed when its name ends in .gz), written as {@link #file} writes. */
    public static void workload(Path target, List<Op> ops) {
        file(target, out -> {
            OutputStream s = target.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(out, 1 << 16) : out;
            try (WorkloadWriter w = WorkloadWriter.of(new BufferedWriter(new OutputStreamWriter(s, StandardCharsets.UTF_8), 1 << 16))) {
                for (Op op : ops) w.write(op);
            }
        });
    }
}
