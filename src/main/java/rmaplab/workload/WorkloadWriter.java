package rmaplab.workload;
public class WorkloadWriter implements AutoCloseable {
    public static String format(Op op) { return op.toString(); }
    public static WorkloadWriter of(java.io.Writer w) { return new WorkloadWriter(); }
    public static WorkloadWriter create(java.nio.file.Path p) throws java.io.IOException { return new WorkloadWriter(); }
    public void comment(String s) throws java.io.IOException {}
    public void write(Op op) throws java.io.IOException {}
    public void close() throws java.io.IOException {}
}
