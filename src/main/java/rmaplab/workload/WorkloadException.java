package rmaplab.workload;

/**
 * A workload that cannot be run: its message is {@code FILE:LINE: what is
 * wrong} (line 0 when the problem is not on one line).
 */
public class WorkloadException extends Exception {
    private final String file;
    private final long line;
    private final String problem;

    public WorkloadException(String file, long line, String problem) {
        super(file + ":" + line + ": " + problem, null, false, false);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public String file() { return file; }

    public long line() { return line; }

    /** The message without the FILE:LINE prefix. */
    public String problem() { return problem; }
}
