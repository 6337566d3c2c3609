package rmaplab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workloads from standard input and FIFOs: read once, kept, read again. */
class WorkloadSourceTest {
    static final String TEXT = HostileInputTest.OK;

    static List<Op> drain(WorkloadSource s) throws WorkloadException {
        try (WorkloadReader r = s.open()) {
            List<Op> ops = new ArrayList<>();
            for (Op op; (op = r.next()) != null; ) ops.add(op);
            return ops;
        }
    }

    @Test
    void aStreamIsReadOnceAndKeptForTheNextReadings() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        InputStream once = new ByteArrayInputStream(HostileInputTest.gzip(TEXT.getBytes(StandardCharsets.UTF_8))) {
            @Override public synchronized int read(byte[] b, int off, int len) {
                reads.incrementAndGet();
                return super.read(b, off, len);
            }
        };
        try (WorkloadSource s = WorkloadSource.ofStream(WorkloadSource.STDIN_NAME, once)) {
            assertNull(s.file());
            List<Op> first = drain(s);
            int afterFirst = reads.get();
            assertEquals(Workloads.parse("t", TEXT), first);
            assertEquals(first, drain(s));
            assertEquals(first, drain(s));
            assertEquals(afterFirst, reads.get(), "the stream itself is read once");
        }
    }

    @Test
    void errorsInAStreamNameStdinAndTheLine() {
        WorkloadSource s = WorkloadSource.ofStream(WorkloadSource.STDIN_NAME,
                new ByteArrayInputStream("rmaplab-workload 1\nP spawn\nP fly\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("<stdin>:3: unknown op 'fly'", assertThrows(WorkloadException.class, () -> drain(s)).getMessage());
        // its first reading stopped before the end: it cannot be read again
        assertEquals("<stdin>:0: opened again before its first reading reached its end (a stream is read once)",
                assertThrows(WorkloadException.class, () -> drain(s)).getMessage());
    }

    @Test
    void aRegularFileIsReadWhereItIs(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("w.rmw");
        Files.writeString(p, TEXT);
        try (WorkloadSource s = WorkloadSource.of(p.toString())) {
            assertEquals(p, s.file());
            assertEquals(p.toString(), s.name());
            assertEquals(drain(s), drain(s));
        }
        assertEquals(dir + ":0: is a directory, not a workload file",
                assertThrows(WorkloadException.class, () -> WorkloadSource.of(dir.toString())).getMessage());
    }

    @Test
    void aFifoIsReadAsAStream(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException e) {
            mk = null;
        }
        assumeTrue(mk != null && mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo is not available");
        Thread writer = new Thread(() -> {
            try (OutputStream o = Files.newOutputStream(fifo)) {
                o.write(TEXT.getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        try (WorkloadSource s = WorkloadSource.of(fifo.toString())) {
            assertNull(s.file(), "a FIFO is a stream: no truth file beside it");
            List<Op> ops = drain(s);
            assertEquals(3, ops.size());
            assertEquals(ops, drain(s));
        } finally {
            writer.join(10_000);
        }
        assertTrue(!writer.isAlive());
    }
}
