package rmaplab.race;

/** One step of a schedule as replay prints it: the point, who ran, the kernel function, what it did, the locks held after. */
public record Step(int point, String task, String fn, String event, String held) {}
