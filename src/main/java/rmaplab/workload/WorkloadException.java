package rmaplab.workload;
public class WorkloadException extends Exception {
    public WorkloadException(String file, long line, String msg) { super(file + ":" + line + ": " + msg); }
}
