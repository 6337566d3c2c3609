package rmaplab.ledger;

/**
 * What the simulated kernel is doing right now: the workload op being run
 * (its keyword, e.g. "fork", "touch", "munmap") and the process (thread
 * group id) running it. Ledgers attribute every cost to this context.
 */
public final class OpContext {
    private String op = "setup";
    private int pid = 0;

    public void set(String op, int pid) {
        this.op = op;
        this.pid = pid;
    }

    public String op() { return op; }

    public int pid() { return pid; }
}
