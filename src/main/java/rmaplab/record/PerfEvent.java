package rmaplab.record;

import java.util.Map;

/**
 * One line of {@code perf script --show-mmap-events --show-task-events} output as a typed event
 * ({@link PerfLineParser} makes them). Numbers are parsed; what they mean is for the importer.
 */
sealed interface PerfEvent {
    /** PERF_RECORD_MMAP2 of task {@code tid}: [start, start + len) in bytes, as the kernel announced it. */
    record Mmap2(int tid, long start, long len, long pgoffBytes, String dev, String prot, String path) implements PerfEvent {}

    /** PERF_RECORD_MMAP (no -d details); {@code kernel}: perf's synthesized map of the kernel image (pid -1). */
    record Mmap(boolean kernel) implements PerfEvent {}

    /** PERF_RECORD_COMM; only {@code exec} ones carry a pid and tid here. */
    record Comm(boolean exec, int pid, int tid) implements PerfEvent {}

    /** PERF_RECORD_FORK: task pid/tid was made by ppid/ptid. */
    record Fork(int pid, int tid, int ppid, int ptid) implements PerfEvent {}

    /** PERF_RECORD_EXIT of task pid/tid. */
    record Exit(int pid, int tid) implements PerfEvent {}

    /** PERF_RECORD_LOST: perf's ring buffer overflowed and events were dropped. */
    record Lost() implements PerfEvent {}

    /** Another PERF_RECORD_* line, about nothing the importer follows. */
    record OtherRecord() implements PerfEvent {}

    /** kmem:kmem_cache_alloc or kmem_cache_free; {@code site} without its +offset; {@code ptr} null when absent. */
    record Kmem(boolean alloc, String site, String cache, String ptr) implements PerfEvent {}

    /** exceptions:page_fault_user or page_fault_kernel (kernel = true). */
    record Fault(boolean kernel, long address, long errorCode) implements PerfEvent {}

    /** task:task_newtask: the new task's tid and clone_flags. */
    record NewTask(int childTid, long cloneFlags) implements PerfEvent {}

    /** syscalls:sys_enter_CALL with its arguments by name. */
    record SysEnter(String call, Map<String, Long> args) implements PerfEvent {}

    /** syscalls:sys_exit_CALL with its return value. */
    record SysExit(String call, long ret) implements PerfEvent {}

    /** A tracepoint outside the event set ({@code name}: SYSTEM:EVENT). */
    record Foreign(String name) implements PerfEvent {}
}
