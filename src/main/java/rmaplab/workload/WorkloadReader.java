package rmaplab.workload;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads a workload (WORKLOAD_FORMAT.md, version 1) one op at a time, plain or
 * gzip (told by its magic bytes, whatever the name), in memory bounded by the
 * number of tasks, not of lines. Every line is checked as it is read: syntax,
 * arguments, task names and the life of tasks (created before use, not used
 * after exit, no fork after {@code nofork}, no exec while other threads of the
 * process live). A {@code nofork} promise belongs to the process (all its
 * threads), is not inherited by children, and ends at exec (a new program
 * has promised nothing). Address-space conflicts (an mmap over a mapping) need
 * the simulated kernel and are found by the runner's first pass.
 *
 * <p>Every error is a {@link WorkloadException} with {@code FILE:LINE: what is
 * wrong}; docs/workload-errors.md lists them all.
 */
public final class WorkloadReader implements AutoCloseable {
    static final String HEADER = "rmaplab-workload";
    static final Set<String> KEYWORDS = Set.of("spawn", "fork", "thread", "vfork", "exec", "exit", "nofork", "mmap",
            "munmap", "mprotect", "mremap", "madvise", "touch", "walk", "migrate", HEADER);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.\\-/]+");
    private static final Pattern BLANKS = Pattern.compile("[ \\t]+");

    /** A live process (thread group): its live tasks and whether it promised never to fork. */
    private static final class Group {
        int live;
        boolean nofork;
    }

    private final String name;
    private final BufferedReader in;
    private long line;
    private long opLine;
    private boolean headerSeen;
    private final Map<String, Group> tasks = new HashMap<>();
    private final Set<String> exited = new HashSet<>();

    private WorkloadReader(String name, Reader r) {
        this.name = name;
        this.in = r instanceof BufferedReader b ? b : new BufferedReader(r, 1 << 16);
    }

    /** Opens a file, plain or gzip-compressed. */
    public static WorkloadReader open(Path p) throws IOException {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(p.toString(), null, "no such file");
        }
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        InputStream s = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new WorkloadReader(p.toString(), new InputStreamReader(s, StandardCharsets.UTF_8));
    }

    /** Reads workload text held in memory; errors name it {@code name}. */
    public static WorkloadReader of(String name, String text) { return new WorkloadReader(name, new StringReader(text)); }

    /** The line number of the op last returned. */
    public long line() { return opLine; }

    /** The name errors are reported under. */
    public String name() { return name; }

    private WorkloadException error(String msg) { return new WorkloadException(name, line, msg); }

    /** The next op, or null at the end of the file. */
    public Op next() throws WorkloadException {
        String raw;
        while (true) {
            try {
                raw = in.readLine();
            } catch (IOException e) {
                throw new WorkloadException(name, line + 1, "cannot read: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
            if (raw == null) {
                if (!headerSeen) throw new WorkloadException(name, line, "missing header 'rmaplab-workload 1' (the file is empty)");
                return null;
            }
            line++;
            int hash = raw.indexOf('#');
            String s = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (s.isEmpty()) continue;
            String[] t = BLANKS.split(s);
            if (!headerSeen) {
                header(t);
                continue;
            }
            opLine = line;
            return op(t);
        }
    }

    private void header(String[] t) throws WorkloadException {
        if (!t[0].equals(HEADER))
            throw error("missing header 'rmaplab-workload 1' before the first op");
        if (t.length < 2) throw error("header: missing version (expected 'rmaplab-workload 1')");
        if (t.length > 2) throw error("header: unexpected '" + t[2] + "' after the version");
        if (!t[1].equals("1")) throw error("unsupported workload format version '" + t[1] + "' (this reader knows version 1)");
        headerSeen = true;
    }

    private Op op(String[] t) throws WorkloadException {
        String proc = t[0];
        if (proc.equals(HEADER)) throw error("a second header");
        checkName(proc, "task name");
        if (t.length < 2) throw error("missing op after '" + proc + "'");
        String op = t[1];
        Args a = new Args(op, t);
        return switch (op) {
            case "spawn" -> {
                a.end();
                create(proc, new Group());
                yield new Op.Spawn(proc);
            }
            case "fork", "vfork" -> {
                String child = a.name("CHILD");
                a.end();
                Group g = live(proc);
                if (g.nofork) throw error("'" + proc + "' forks after nofork");
                create(child, new Group());
                yield op.equals("fork") ? new Op.Fork(proc, child) : new Op.Vfork(proc, child);
            }
            case "thread" -> {
                String th = a.name("T");
                a.end();
                create(th, live(proc));
                yield new Op.Thread(proc, th);
            }
            case "exec" -> {
                a.end();
                Group g = live(proc);
                if (g.live > 1) throw error("exec by '" + proc + "' while its process has other live threads");
                g.nofork = false;
                yield new Op.Exec(proc);
            }
            case "exit" -> {
                a.end();
                Group g = live(proc);
                g.live--;
                tasks.remove(proc);
                exited.add(proc);
                yield new Op.Exit(proc);
            }
            case "nofork" -> {
                a.end();
                live(proc).nofork = true;
                yield new Op.NoFork(proc);
            }
            case "mmap" -> {
                long addr = a.number("ADDR"), len = a.length("LEN", addr);
                Prot prot = a.prot();
                MapKind kind = a.kind();
                java.util.Set<MapFlag> flags = a.more() ? a.mapFlags() : java.util.Set.of();
                a.end();
                live(proc);
                yield new Op.Mmap(proc, addr, len, prot, kind, flags);
            }
            case "munmap", "walk", "migrate" -> {
                long addr = a.number("ADDR"), len = a.length("LEN", addr);
                a.end();
                live(proc);
                yield switch (op) {
                    case "munmap" -> new Op.Munmap(proc, addr, len);
                    case "walk" -> new Op.Walk(proc, addr, len);
                    default -> new Op.Migrate(proc, addr, len);
                };
            }
            case "mprotect" -> {
                long addr = a.number("ADDR"), len = a.length("LEN", addr);
                Prot prot = a.prot();
                a.end();
                live(proc);
                yield new Op.Mprotect(proc, addr, len, prot);
            }
            case "mremap" -> {
                long addr = a.number("ADDR"), len = a.length("LEN", addr);
                long na = a.number("NEWADDR"), nl = a.length("NEWLEN", na);
                a.end();
                live(proc);
                yield new Op.Mremap(proc, addr, len, na, nl);
            }
            case "madvise" -> {
                long addr = a.number("ADDR"), len = a.length("LEN", addr);
                String s = a.next("ADVICE");
                Advice adv = Advice.parse(s);
                if (adv == null)
                    throw error("madvise: bad ADVICE '" + s + "' (one of " + Advice.known() + ")");
                a.end();
                live(proc);
                yield new Op.Madvise(proc, addr, len, adv);
            }
            case "touch" -> {
                long addr = a.number("ADDR"), len = a.length("LEN", addr);
                String s = a.next("ACCESS");
                if (!s.equals("read") && !s.equals("write")) throw error("touch: bad access '" + s + "' (read or write)");
                a.end();
                live(proc);
                yield new Op.Touch(proc, addr, len, s.equals("write"));
            }
            default -> throw error("unknown op '" + op + "'");
        };
    }

    private void checkName(String s, String what) throws WorkloadException {
        if (!NAME.matcher(s).matches())
            throw error("bad " + what + " '" + s + "' (letters, digits, '_', '.', '-')");
        if (KEYWORDS.contains(s)) throw error("bad " + what + " '" + s + "': it is a keyword");
    }

    private Group live(String task) throws WorkloadException {
        Group g = tasks.get(task);
        if (g != null) return g;
        if (exited.contains(task)) throw error("task '" + task + "' has exited");
        throw error("task '" + task + "' does not exist");
    }

    private void create(String task, Group g) throws WorkloadException {
        if (tasks.containsKey(task)) throw error("task '" + task + "' already exists");
        g.live++;
        tasks.put(task, g);
        exited.remove(task);
    }

    /** The arguments of one op line, consumed in order. */
    private final class Args {
        private final String op;
        private final String[] t;
        private int i = 2;

        Args(String op, String[] t) {
            this.op = op;
            this.t = t;
        }

        String next(String what) throws WorkloadException {
            if (i >= t.length) throw error(op + ": missing argument " + what);
            return t[i++];
        }

        boolean more() { return i < t.length; }

        /** The optional FLAGS of mmap: known flags, comma-separated, each at most once. */
        java.util.Set<MapFlag> mapFlags() throws WorkloadException {
            String s = next("FLAGS");
            java.util.EnumSet<MapFlag> set = java.util.EnumSet.noneOf(MapFlag.class);
            for (String f : s.split(",", -1)) {
                MapFlag flag = MapFlag.parse(f);
                if (flag == null)
                    throw error("mmap: bad FLAG '" + f + "' in '" + s + "' (comma-separated, each one of " + MapFlag.known() + ")");
                if (!set.add(flag)) throw error("mmap: FLAG '" + f + "' repeated in '" + s + "'");
            }
            return set;
        }

        void end() throws WorkloadException {
            if (i < t.length) throw error(op + ": unexpected argument '" + t[i] + "'");
        }

        String name(String what) throws WorkloadException {
            String s = next(what);
            checkName(s, "task name");
            return s;
        }

        long number(String what) throws WorkloadException {
            String s = next(what);
            boolean hex = s.startsWith("0x") || s.startsWith("0X");
            String digits = hex ? s.substring(2) : s;
            if (digits.isEmpty() || !(hex ? digits.matches("[0-9a-fA-F]+") : digits.matches("[0-9]+")))
                throw error(op + ": " + what + " '" + s + "' is not a number (decimal or 0x hex)");
            try {
                return Long.parseLong(digits, hex ? 16 : 10);
            } catch (NumberFormatException e) {
                throw error(op + ": " + what + " '" + s + "' is too large");
            }
        }

        long length(String what, long addr) throws WorkloadException {
            long len = number(what);
            if (len == 0) throw error(op + ": " + what + " must not be zero");
            if (addr + len < 0) throw error(op + ": the range at 0x" + Long.toHexString(addr) + " of 0x" + Long.toHexString(len) + " pages overflows");
            return len;
        }

        Prot prot() throws WorkloadException {
            String s = next("PROT");
            Prot p = Prot.parse(s);
            if (p == null) throw error(op + ": bad PROT '" + s + "' (one of ---, r--, rw-, r-x, rwx, -w-, -wx, --x)");
            return p;
        }

        MapKind kind() throws WorkloadException {
            String s = next("KIND");
            switch (s) {
                case "anon": return MapKind.ANON;
                case "shared": return MapKind.SHARED;
                case "stack": return MapKind.STACK;
                default: break;
            }
            boolean shared = s.startsWith("shared-file=");
            if (!shared && !s.startsWith("file="))
                throw error("mmap: bad KIND '" + s + "' (anon, shared, stack, file=NAME@PGOFF, shared-file=NAME@PGOFF)");
            String rest = s.substring(s.indexOf('=') + 1);
            int at = rest.lastIndexOf('@');
            if (at < 0) throw error("mmap: bad KIND '" + s + "': missing @PGOFF");
            String file = rest.substring(0, at), off = rest.substring(at + 1);
            if (!FILE_NAME.matcher(file).matches())
                throw error("mmap: bad file name '" + file + "' (letters, digits, '_', '.', '-', '/')");
            boolean hex = off.startsWith("0x") || off.startsWith("0X");
            String digits = hex ? off.substring(2) : off;
            long pgoff;
            try {
                if (digits.isEmpty() || !(hex ? digits.matches("[0-9a-fA-F]+") : digits.matches("[0-9]+")))
                    throw new NumberFormatException();
                pgoff = Long.parseLong(digits, hex ? 16 : 10);
            } catch (NumberFormatException e) {
                throw error("mmap: bad PGOFF '" + off + "' in '" + s + "'");
            }
            return shared ? MapKind.sharedFile(file, pgoff) : MapKind.file(file, pgoff);
        }
    }

    @Override public void close() throws IOException { in.close(); }
}
