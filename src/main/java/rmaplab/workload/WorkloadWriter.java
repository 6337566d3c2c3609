package rmaplab.workload;
public class WorkloadWriter {
    public static String format(Op op) { return op.toString(); }
}
