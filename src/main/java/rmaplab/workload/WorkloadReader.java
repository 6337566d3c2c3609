package rmaplab.workload;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a workload (docs/workload-format.md, version 1) one op at a time,
 * plain or gzip (told by its magic bytes, whatever the name), in memory
 * bounded by the number of tasks, not of lines (a line is at most {@link
 * LineInput#LINE_LIMIT} bytes). Every line is checked as it is read: syntax,
 * arguments, addresses within the user address space ({@link AddressSpace}),
 * task names and the life of tasks (created before use, not used after exit,
 * no fork after {@code nofork}, no exec while other threads of the process
 * live). A {@code nofork} promise belongs to the process (all its threads),
 * is not inherited by children, and ends at exec (a new program has promised
 * nothing). Address-space conflicts (an mmap over a mapping) need the
 * simulated kernel and are found by the runner's first pass.
 *
 * <p>Every error is a {@link WorkloadException} with {@code FILE:LINE: what is
 * wrong}; docs/workload-errors.md lists them all.
 */
public final class WorkloadReader implements AutoCloseable {
    static final String HEADER = "rmaplab-workload";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern BLANKS = Pattern.compile("[ \\t]+");

    /** A live process (thread group): its live tasks and whether it promised never to fork. */
    private static final class Group {
        int live;
        boolean nofork;
    }

    private final LineInput in;
    private long opLine;
    private boolean headerSeen;
    private final Map<String, Group> tasks = new HashMap<>();
    private final Set<String> exited = new HashSet<>();
    private final Together together = new Together(this::error);
    private int group;

    private WorkloadReader(LineInput in) { this.in = in; }

    /**
     * Opens a file, plain or gzip-compressed. A FIFO (bash's {@code <(...)})
     * is read as a stream, once; a directory or a device is refused (line 0).
     */
    public static WorkloadReader open(Path p) throws WorkloadException { return new WorkloadReader(LineInput.open(p)); }

    /** Reads a stream (closed with the reader), plain or gzip by its magic bytes; errors name it {@code name}. */
    public static WorkloadReader open(String name, InputStream in) throws WorkloadException {
        return new WorkloadReader(LineInput.open(name, in, false));
    }

    /** Reads workload text held in memory; errors name it {@code name}. */
    public static WorkloadReader of(String name, String text) {
        try {
            return open(name, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (WorkloadException e) {
            throw new IllegalStateException("reading from memory failed", e); // cannot: no I/O, no gzip
        }
    }

    /** The line number of the op last returned. */
    public long line() { return opLine; }

    /** The {@code together} group of the op last returned: 1, 2, ... in file order, 0 for none. */
    public int group() { return group; }

    /** The name errors are reported under. */
    public String name() { return in.name(); }

    private WorkloadException error(String msg) { return new WorkloadException(in.name(), in.number(), msg); }

    static String q(String token) { return WorkloadException.quote(token); }

    /** The next op, or null at the end of the file. */
    public Op next() throws WorkloadException {
        while (true) {
            String raw = in.next();
            if (raw == null) {
                if (!headerSeen) throw new WorkloadException(in.name(), in.number(), "missing header 'rmaplab-workload 1' (the file is empty)");
                together.atEnd();
                return null;
            }
            int hash = raw.indexOf('#');
            String s = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (s.isEmpty()) continue;
            String[] t = BLANKS.split(s);
            if (!headerSeen) {
                header(t);
                continue;
            }
            if (t.length == 1 && together.marker(t[0], in.number())) continue; // together / end
            opLine = in.number();
            Op op = op(t);
            together.op(op);
            group = together.current();
            return op;
        }
    }

    private void header(String[] t) throws WorkloadException {
        if (!t[0].equals(HEADER))
            throw error("missing header 'rmaplab-workload 1' before the first op");
        if (t.length < 2) throw error("header: missing version (expected 'rmaplab-workload 1')");
        if (t.length > 2) throw error("header: unexpected " + q(t[2]) + " after the version");
        if (!t[1].equals("1")) throw error("unsupported workload format version " + q(t[1]) + " (this reader knows version 1)");
        headerSeen = true;
    }

    private Op op(String[] t) throws WorkloadException {
        String proc = t[0];
        if (proc.equals(HEADER)) throw error("a second header");
        checkName(proc);
        if (t.length < 2) throw error("missing op after " + q(proc));
        String op = t[1];
        OpArgs a = new OpArgs(op, t, this::error);
        return switch (op) {
            case Op.Spawn.KEYWORD -> {
                a.end();
                create(proc, new Group());
                yield new Op.Spawn(proc);
            }
            case Op.Fork.KEYWORD, Op.Vfork.KEYWORD -> {
                String child = name(a.next("CHILD"));
                a.end();
                Group g = live(proc);
                if (g.nofork) throw error(q(proc) + " forks after nofork");
                create(child, new Group());
                yield op.equals(Op.Fork.KEYWORD) ? new Op.Fork(proc, child) : new Op.Vfork(proc, child);
            }
            case Op.Thread.KEYWORD -> {
                String th = name(a.next("T"));
                a.end();
                create(th, live(proc));
                yield new Op.Thread(proc, th);
            }
            case Op.Exec.KEYWORD -> {
                a.end();
                Group g = live(proc);
                if (g.live > 1) throw error("exec by " + q(proc) + " while its process has other live threads");
                g.nofork = false;
                yield new Op.Exec(proc);
            }
            case Op.Exit.KEYWORD -> {
                a.end();
                Group g = live(proc);
                g.live--;
                tasks.remove(proc);
                exited.add(proc);
                yield new Op.Exit(proc);
            }
            case Op.NoFork.KEYWORD -> {
                a.end();
                live(proc).nofork = true;
                yield new Op.NoFork(proc);
            }
            case Op.Mmap.KEYWORD -> {
                long addr = a.address("ADDR"), len = a.length("LEN", addr);
                Prot prot = a.prot();
                MapKind kind = a.kind();
                Set<MapFlag> flags = a.more() ? a.mapFlags() : Set.of();
                a.end();
                live(proc);
                yield new Op.Mmap(proc, addr, len, prot, kind, flags);
            }
            case Op.Munmap.KEYWORD, Op.Migrate.KEYWORD -> {
                long addr = a.address("ADDR"), len = a.length("LEN", addr);
                a.end();
                live(proc);
                yield op.equals(Op.Munmap.KEYWORD) ? new Op.Munmap(proc, addr, len) : new Op.Migrate(proc, addr, len);
            }
            case Op.Walk.KEYWORD -> {
                long addr = a.address("ADDR"), len = a.length("LEN", addr);
                WalkKind kind = WalkKind.RECLAIM;
                if (a.more()) {
                    String s = a.next("KIND");
                    kind = WalkKind.parse(s);
                    if (kind == null) throw error("walk: bad KIND " + q(s) + " (reclaim or full)");
                }
                a.end();
                live(proc);
                yield new Op.Walk(proc, addr, len, kind);
            }
            case Op.Mprotect.KEYWORD -> {
                long addr = a.address("ADDR"), len = a.length("LEN", addr);
                Prot prot = a.prot();
                a.end();
                live(proc);
                yield new Op.Mprotect(proc, addr, len, prot);
            }
            case Op.Mremap.KEYWORD -> {
                long addr = a.address("ADDR"), len = a.length("LEN", addr);
                long na = a.address("NEWADDR"), nl = a.length("NEWLEN", na);
                a.end();
                live(proc);
                yield new Op.Mremap(proc, addr, len, na, nl);
            }
            case Op.Madvise.KEYWORD -> {
                long addr = a.address("ADDR"), len = a.length("LEN", addr);
                String s = a.next("ADVICE");
                Advice adv = Advice.parse(s);
                if (adv == null) throw error("madvise: bad ADVICE " + q(s) + " (one of " + Advice.known() + ")");
                a.end();
                live(proc);
                yield new Op.Madvise(proc, addr, len, adv);
            }
            case Op.Touch.KEYWORD -> {
                long addr = a.address("ADDR"), len = a.length("LEN", addr);
                String s = a.next("ACCESS");
                if (!s.equals("read") && !s.equals("write")) throw error("touch: bad access " + q(s) + " (read or write)");
                a.end();
                live(proc);
                yield new Op.Touch(proc, addr, len, s.equals("write"));
            }
            default -> throw error("unknown op " + q(op));
        };
    }

    /** Whether a word may not name a task: an op keyword or the header's. */
    static boolean reserved(String word) { return Op.isKeyword(word) || word.equals(HEADER); }

    private void checkName(String s) throws WorkloadException {
        if (!NAME.matcher(s).matches()) throw error("bad task name " + q(s) + " (letters, digits, '_', '.', '-')");
        if (reserved(s)) throw error("bad task name " + q(s) + ": it is a keyword");
    }

    private String name(String s) throws WorkloadException {
        checkName(s);
        return s;
    }

    private Group live(String task) throws WorkloadException {
        Group g = tasks.get(task);
        if (g != null) return g;
        if (exited.contains(task)) throw error("task " + q(task) + " has exited");
        throw error("task " + q(task) + " does not exist");
    }

    private void create(String task, Group g) throws WorkloadException {
        if (tasks.containsKey(task)) throw error("task " + q(task) + " already exists");
        g.live++;
        tasks.put(task, g);
        exited.remove(task);
    }

    @Override public void close() { in.close(); }
}
