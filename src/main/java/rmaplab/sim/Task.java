package rmaplab.sim;

/** A task: a process's thread (or its only thread), by its workload name. */
public final class Task {
    final String name;
    final Process process;
    Mm mm;
    boolean alive = true;

    Task(String name, Process process, Mm mm) {
        this.name = name;
        this.process = process;
        this.mm = mm;
    }

    public String name() { return name; }
    public Process process() { return process; }
    public Mm mm() { return mm; }
    public boolean alive() { return alive; }

    @Override public String toString() { return name; }
}
