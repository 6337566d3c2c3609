package rmaplab.workload;

/**
 * One line of a workload: {@code PROC OP ARGS...}. Addresses and lengths are
 * in 4 KiB pages. See docs/workload-format.md (version 1 and its additions).
 */
public sealed interface Op {
    /** The task the line names first (PROC). */
    String task();

    /** The op's keyword as written in a workload file. */
    String keyword();

    /** spawn: a new process with an empty address space. */
    record Spawn(String task) implements Op { public String keyword() { return "spawn"; } }

    /** fork(2): child gets a copy of the task's address space. */
    record Fork(String task, String child) implements Op { public String keyword() { return "fork"; } }

    /** clone(CLONE_VM|CLONE_THREAD): a thread sharing the task's mm. */
    record Thread(String task, String thread) implements Op { public String keyword() { return "thread"; } }

    /** vfork(2): child shares the task's mm until it execs or exits. */
    record Vfork(String task, String child) implements Op { public String keyword() { return "vfork"; } }

    /** execve(2): a new empty address space. */
    record Exec(String task) implements Op { public String keyword() { return "exec"; } }

    /** exit(2) of this task. */
    record Exit(String task) implements Op { public String keyword() { return "exit"; } }

    /** The PR_SET_NOFORK idea: the task promises never to fork again. */
    record NoFork(String task) implements Op { public String keyword() { return "nofork"; } }

    /**
     * mmap at a fixed place (MAP_FIXED_NOREPLACE), with the extra mmap flags
     * of the line ({@link MapFlag}; empty when it has none).
     */
    record Mmap(String task, long addr, long len, Prot prot, MapKind kind, java.util.Set<MapFlag> flags) implements Op {
        public Mmap {
            flags = MapFlag.setOf(java.util.Objects.requireNonNull(flags));
        }

        /** An mmap without extra flags. */
        public Mmap(String task, long addr, long len, Prot prot, MapKind kind) {
            this(task, addr, len, prot, kind, java.util.Set.of());
        }

        public boolean has(MapFlag f) { return flags.contains(f); }

        public String keyword() { return "mmap"; }
    }

    record Munmap(String task, long addr, long len) implements Op { public String keyword() { return "munmap"; } }

    record Mprotect(String task, long addr, long len, Prot prot) implements Op {
        public String keyword() { return "mprotect"; }
    }

    /** mremap(2): a move when newAddr differs from addr, else a resize in place. */
    record Mremap(String task, long addr, long len, long newAddr, long newLen) implements Op {
        public String keyword() { return "mremap"; }
    }

    record Madvise(String task, long addr, long len, Advice advice) implements Op {
        public String keyword() { return "madvise"; }
    }

    /** One user access per page, ascending. */
    record Touch(String task, long addr, long len, boolean write) implements Op {
        public String keyword() { return "touch"; }
    }

    /** A reverse walk of every anonymous folio mapped in the range (folio_referenced). */
    record Walk(String task, long addr, long len) implements Op { public String keyword() { return "walk"; } }

    /** Migrate every anonymous folio mapped in the range to a new frame. */
    record Migrate(String task, long addr, long len) implements Op { public String keyword() { return "migrate"; } }
}
