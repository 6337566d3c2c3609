package rmaplab.sim;

import java.util.ArrayList;
import java.util.List;

/** A thread group: one pid, one or more tasks sharing an mm. */
public final class Process {
    final int pid;
    final Process parent;
    final List<Task> threads = new ArrayList<>();
    boolean nofork;
    /** Forks this process has made over the whole run. */
    int forks;

    Process(int pid, Process parent) {
        this.pid = pid;
        this.parent = parent;
    }

    public int pid() { return pid; }
    public Process parent() { return parent; }
    public boolean nofork() { return nofork; }
    /** Its tasks, exited ones included, in creation order. */
    public List<Task> tasks() { return java.util.Collections.unmodifiableList(threads); }
    public int liveThreads() {
        int n = 0;
        for (Task t : threads) if (t.alive) n++;
        return n;
    }
}
