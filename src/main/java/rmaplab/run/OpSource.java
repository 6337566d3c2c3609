package rmaplab.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.WorkloadReader;

/**
 * A workload that can be read more than once (the runner validates it in a
 * first pass, then runs each design): a file, or ops in memory.
 */
public interface OpSource {
    /** The name errors are reported under (the file's path as given). */
    String name();

    Cursor open() throws IOException, WorkloadException;

    /** Reads ops one at a time. */
    interface Cursor extends AutoCloseable {
        /** The next op, or null at the end. */
        Op next() throws WorkloadException;

        /** The line of the op just returned (its index, 1-based, for ops in memory). */
        long line();

        @Override void close() throws IOException;
    }

    static OpSource file(Path p) {
        return new OpSource() {
            @Override public String name() { return p.toString(); }

            @Override public Cursor open() throws IOException, WorkloadException {
                WorkloadReader r = WorkloadReader.open(p);
                return new Cursor() {
                    @Override public Op next() throws WorkloadException { return r.next(); }
                    @Override public long line() { return r.line(); }
                    @Override public void close() throws IOException {
                        try {
                            r.close();
                        } catch (Exception e) {
                            if (e instanceof IOException io) throw io;
                            if (e instanceof RuntimeException re) throw re;
                            throw new IOException(e);
                        }
                    }
                };
            }
        };
    }

    static OpSource of(String name, List<Op> ops) {
        return new OpSource() {
            @Override public String name() { return name; }

            @Override public Cursor open() {
                return new Cursor() {
                    int i;
                    @Override public Op next() { return i < ops.size() ? ops.get(i++) : null; }
                    @Override public long line() { return i; }
                    @Override public void close() { }
                };
            }
        };
    }
}
