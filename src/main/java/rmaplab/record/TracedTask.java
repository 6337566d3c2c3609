package rmaplab.record;

import java.util.ArrayList;
import java.util.List;

/**
 * A task of the recording as the importer follows it: its name in the workload, its address space
 * (shared by threads and by a vfork child until it execs), the op it is in, and its kmem events
 * waiting for the op they belong to.
 */
final class TracedTask {
    final int pid;
    int tid;
    final String name;
    Layout mm;
    /** The op in progress: where this task's kmem events go by default. */
    String cur = Truth.UNATTRIBUTED;
    final List<Attribution.Kmem> pending = new ArrayList<>();
    /** A syscall whose result is still to come. */
    SyscallDecoder.Call sys;
    /** A PERF_RECORD_FORK seen in this task, waiting for its task_newtask. */
    TaskTracker.ForkRecord fork;
    /** Between an exec and the task's first syscall or user fault: MMAP2 lines are the kernel's own mappings. */
    boolean execPhase;
    /** Where frees go when not to cur: the munmap part of an mmap written as munmap + mmap. */
    String freeOp;
    /** The op in progress is an mmap that replaces known mappings (MAP_FIXED): it may split VMAs. */
    boolean replacing;
    /** The op in progress is a read fault (no write bit in its error code). */
    boolean readFault;
    /** The pages [opStart, opEnd) the munmap, mprotect, madvise or mremap in progress changed (empty otherwise). */
    long opStart, opEnd;

    TracedTask(int pid, int tid, String name, Layout mm) {
        this.pid = pid;
        this.tid = tid;
        this.name = name;
        this.mm = mm;
    }

    void begin(String op) {
        cur = op;
        freeOp = null;
        replacing = false;
        readFault = false;
        opStart = opEnd = 0;
    }

    /** The op just begun changes the pages [start, start + len). */
    void range(long start, long len) {
        opStart = start;
        opEnd = start + len;
    }
}
