package rmaplab.workload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One line of a workload: {@code PROC OP ARGS...}. Addresses and lengths are
 * in 4 KiB pages. See docs/workload-format.md (version 1 and its additions).
 *
 * <p>Each op type declares its keyword once, as {@code KEYWORD}; {@link
 * #KEYWORDS} lists them all, taken from the types this interface permits, so
 * that nothing else spells the list again.
 */
public sealed interface Op {
    /** The task the line names first (PROC). */
    String task();

    /** The op's keyword as written in a workload file (its type's {@code KEYWORD}). */
    String keyword();

    /** Every op keyword, in the order the types are declared here. */
    List<String> KEYWORDS = keywordsOfPermittedTypes();

    /** Whether a word is an op keyword. */
    static boolean isKeyword(String word) { return KEYWORDS.contains(word); }

    /** spawn: a new process with an empty address space. */
    record Spawn(String task) implements Op {
        public static final String KEYWORD = "spawn";
        public String keyword() { return KEYWORD; }
    }

    /** fork(2): child gets a copy of the task's address space. */
    record Fork(String task, String child) implements Op {
        public static final String KEYWORD = "fork";
        public String keyword() { return KEYWORD; }
    }

    /** clone(CLONE_VM|CLONE_THREAD): a thread sharing the task's mm. */
    record Thread(String task, String thread) implements Op {
        public static final String KEYWORD = "thread";
        public String keyword() { return KEYWORD; }
    }

    /** vfork(2): child shares the task's mm until it execs or exits. */
    record Vfork(String task, String child) implements Op {
        public static final String KEYWORD = "vfork";
        public String keyword() { return KEYWORD; }
    }

    /** execve(2): a new empty address space. */
    record Exec(String task) implements Op {
        public static final String KEYWORD = "exec";
        public String keyword() { return KEYWORD; }
    }

    /** exit(2) of this task. */
    record Exit(String task) implements Op {
        public static final String KEYWORD = "exit";
        public String keyword() { return KEYWORD; }
    }

    /** The PR_SET_NOFORK idea: the task promises never to fork again. */
    record NoFork(String task) implements Op {
        public static final String KEYWORD = "nofork";
        public String keyword() { return KEYWORD; }
    }

    /**
     * mmap at a fixed place (MAP_FIXED_NOREPLACE), with the extra mmap flags
     * of the line ({@link MapFlag}; empty when it has none).
     */
    record Mmap(String task, long addr, long len, Prot prot, MapKind kind, Set<MapFlag> flags) implements Op {
        public static final String KEYWORD = "mmap";

        public Mmap {
            flags = MapFlag.setOf(Objects.requireNonNull(flags));
        }

        /** An mmap without extra flags. */
        public Mmap(String task, long addr, long len, Prot prot, MapKind kind) {
            this(task, addr, len, prot, kind, Set.of());
        }

        public boolean has(MapFlag f) { return flags.contains(f); }

        public String keyword() { return KEYWORD; }
    }

    record Munmap(String task, long addr, long len) implements Op {
        public static final String KEYWORD = "munmap";
        public String keyword() { return KEYWORD; }
    }

    record Mprotect(String task, long addr, long len, Prot prot) implements Op {
        public static final String KEYWORD = "mprotect";
        public String keyword() { return KEYWORD; }
    }

    /** mremap(2): a move when newAddr differs from addr, else a resize in place. */
    record Mremap(String task, long addr, long len, long newAddr, long newLen) implements Op {
        public static final String KEYWORD = "mremap";
        public String keyword() { return KEYWORD; }
    }

    record Madvise(String task, long addr, long len, Advice advice) implements Op {
        public static final String KEYWORD = "madvise";
        public String keyword() { return KEYWORD; }
    }

    /** One user access per page, ascending. */
    record Touch(String task, long addr, long len, boolean write) implements Op {
        public static final String KEYWORD = "touch";
        public String keyword() { return KEYWORD; }
    }

    /**
     * A reverse walk of every anonymous folio mapped in the range: a reclaim
     * walk (folio_referenced; stops when every mapping is found) or a full one
     * (as remove_migration_ptes and KSM walk), see {@link WalkKind}.
     */
    record Walk(String task, long addr, long len, WalkKind kind) implements Op {
        public Walk {
            java.util.Objects.requireNonNull(kind);
        }

        /** A reclaim walk, the default kind. */
        public Walk(String task, long addr, long len) { this(task, addr, len, WalkKind.RECLAIM); }

        public static final String KEYWORD = "walk";
        public String keyword() { return KEYWORD; }
    }

    /** Migrate every anonymous folio mapped in the range to a new frame. */
    record Migrate(String task, long addr, long len) implements Op {
        public static final String KEYWORD = "migrate";
        public String keyword() { return KEYWORD; }
    }

    /** {@link #KEYWORDS}: the {@code KEYWORD} constant of every type this interface permits. */
    private static List<String> keywordsOfPermittedTypes() {
        List<String> l = new ArrayList<>();
        for (Class<?> c : Op.class.getPermittedSubclasses()) {
            try {
                l.add((String) c.getField("KEYWORD").get(null));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(c.getName() + " declares no public KEYWORD", e);
            }
        }
        return Collections.unmodifiableList(l);
    }
}
