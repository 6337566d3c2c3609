package rmaplab.workload;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes workloads in the canonical spelling: the header, then one op per line, addresses and lengths in hex. */
public final class WorkloadWriter implements AutoCloseable {
    private final Writer out;

    private WorkloadWriter(Writer out) throws IOException {
        this.out = out;
        out.write("rmaplab-workload 1\n");
    }

    /** A new file; gzip-compressed when its name ends in .gz. */
    public static WorkloadWriter create(Path p) throws IOException {
        OutputStream s = Files.newOutputStream(p);
        if (p.getFileName().toString().endsWith(".gz")) s = new GZIPOutputStream(s, 1 << 16);
        return new WorkloadWriter(new BufferedWriter(new OutputStreamWriter(s, StandardCharsets.UTF_8), 1 << 16));
    }

    /** Writes to a writer (closed with this one). */
    public static WorkloadWriter of(Writer w) throws IOException { return new WorkloadWriter(w); }

    /** One comment line per line of text. */
    public void comment(String text) throws IOException {
        for (String l : text.split("\n", -1)) out.write(l.isEmpty() ? "#\n" : "# " + l + "\n");
    }

    public void write(Op op) throws IOException {
        out.write(format(op));
        out.write('\n');
    }

    private static String hex(long v) { return "0x" + Long.toHexString(v); }

    /** One op as a workload line (without the newline). */
    public static String format(Op op) {
        String p = op.task() + " " + op.keyword();
        return switch (op) {
            case Op.Spawn s -> p;
            case Op.Fork f -> p + " " + f.child();
            case Op.Thread t -> p + " " + t.thread();
            case Op.Vfork v -> p + " " + v.child();
            case Op.Exec e -> p;
            case Op.Exit e -> p;
            case Op.NoFork n -> p;
            case Op.Mmap m -> p + " " + hex(m.addr()) + " " + hex(m.len()) + " " + m.prot() + " " + m.kind()
                    + (m.flags().isEmpty() ? "" : " " + MapFlag.spell(m.flags()));
            case Op.Munmap m -> p + " " + hex(m.addr()) + " " + hex(m.len());
            case Op.Mprotect m -> p + " " + hex(m.addr()) + " " + hex(m.len()) + " " + m.prot();
            case Op.Mremap m -> p + " " + hex(m.addr()) + " " + hex(m.len()) + " " + hex(m.newAddr()) + " " + hex(m.newLen());
            case Op.Madvise m -> p + " " + hex(m.addr()) + " " + hex(m.len()) + " " + m.advice();
            case Op.Touch m -> p + " " + hex(m.addr()) + " " + hex(m.len()) + " " + (m.write() ? "write" : "read");
            case Op.Walk w -> p + " " + hex(w.addr()) + " " + hex(w.len()) + (w.kind() == WalkKind.RECLAIM ? "" : " " + w.kind());
            case Op.Migrate m -> p + " " + hex(m.addr()) + " " + hex(m.len());
        };
    }

    @Override public void close() throws IOException { out.close(); }
}
