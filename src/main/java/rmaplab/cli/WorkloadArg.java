package rmaplab.cli;

import rmaplab.run.OpSource;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.WorkloadReader;
import rmaplab.workload.WorkloadSource;

/** A workload argument (a file, a FIFO, or - for standard input) as the runner's source. */
final class WorkloadArg {
    private WorkloadArg() {}

    /** Refuses (FILE:0) what is missing, a directory or a device. */
    static OpSource source(String arg) throws WorkloadException { return source(WorkloadSource.of(arg)); }

    static OpSource source(WorkloadSource in) {
        return new OpSource() {
            @Override public String name() { return in.name(); }

            @Override public Cursor open() throws WorkloadException {
                WorkloadReader r = in.open();
                return new Cursor() {
                    @Override public Op next() throws WorkloadException { return r.next(); }
                    @Override public long line() { return r.line(); }
                    @Override public void close() { r.close(); }
                };
            }
        };
    }
}
