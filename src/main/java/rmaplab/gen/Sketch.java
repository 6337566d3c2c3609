package rmaplab.gen;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import rmaplab.workload.Advice;
import rmaplab.workload.MapFlag;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;

/**
 * The random generator's own light model of what its ops built: the live
 * tasks in creation order, their processes (threads, the nofork promise) and
 * a {@link MmSketch} of each address space. {@link #emit} passes an op on
 * only when the sketch says the simulated kernel will accept it (no
 * overlapping mmap, no unknown task, no fork after nofork, no exec while
 * other threads live, nothing outside the window, no more live tasks than
 * the bound), then applies it to the sketch.
 */
final class Sketch {
    /** A process: its threads (tasks) and whether it promised never to fork. */
    static final class Proc {
        final List<Task> threads = new ArrayList<>();
        boolean nofork;
    }

    /** A live task: its name, its process, its address space. */
    static final class Task {
        final String name;
        final Proc proc;
        MmSketch mm;

        Task(String name, Proc proc, MmSketch mm) {
            this.name = name;
            this.proc = proc;
            this.mm = mm;
        }
    }

    private final RandomOps.Params p;
    private final Consumer<Op> out;
    private final Map<String, Task> tasks = new LinkedHashMap<>();

    /** A sketch of nothing yet; ops that pass {@link #emit} go to {@code out}. */
    Sketch(RandomOps.Params p, Consumer<Op> out) {
        this.p = p;
        this.out = out;
    }

    /** The live task of this name, or null. */
    Task get(String name) { return tasks.get(name); }

    /** The live tasks, in creation order. */
    Collection<Task> live() { return Collections.unmodifiableCollection(tasks.values()); }

    int count() { return tasks.size(); }

    /** Emits the op when the sketch says it is valid, and applies it to the sketch. */
    boolean emit(Op op) {
        if (!admissible(op)) return false;
        apply(op);
        out.accept(op);
        return true;
    }

    private boolean inWindow(long addr, long len) { return len > 0 && addr >= p.base() && addr + len <= p.base() + p.pages(); }

    /** The window index of a page. */
    int idx(long page) { return (int) (page - p.base()); }

    private boolean admissible(Op op) {
        if (op instanceof Op.Spawn) return tasks.size() < p.maxTasks();
        Task t = tasks.get(op.task());
        if (t == null) return false;
        return switch (op) {
            case Op.Fork f -> !t.proc.nofork && tasks.size() < p.maxTasks();
            case Op.Vfork v -> !t.proc.nofork && tasks.size() < p.maxTasks();
            case Op.Thread th -> tasks.size() < p.maxTasks();
            case Op.Exec e -> t.proc.threads.size() == 1;
            case Op.Mmap m -> inWindow(m.addr(), m.len()) && (m.flags().contains(MapFlag.FIXED)
                    || clear(t.mm.maybe.nextSetBit(idx(m.addr())), idx(m.addr() + m.len())));
            case Op.Mremap m -> inWindow(m.addr(), m.len()) && inWindow(m.newAddr(), m.newLen());
            case Op.Munmap m -> inWindow(m.addr(), m.len());
            case Op.Mprotect m -> inWindow(m.addr(), m.len());
            case Op.Madvise m -> inWindow(m.addr(), m.len());
            case Op.Touch m -> inWindow(m.addr(), m.len());
            case Op.Walk m -> inWindow(m.addr(), m.len());
            case Op.Migrate m -> inWindow(m.addr(), m.len());
            default -> true;
        };
    }

    /** -1 (no set bit) or a set bit at or past {@code end}: the range before end is clear. */
    private static boolean clear(int nextSet, int end) { return nextSet < 0 || nextSet >= end; }

    private void apply(Op op) {
        Task t = tasks.get(op.task());
        switch (op) {
            case Op.Mmap m -> edges(t.mm, m.addr(), m.len());
            case Op.Munmap m -> edges(t.mm, m.addr(), m.len());
            case Op.Mprotect m -> edges(t.mm, m.addr(), m.len());
            case Op.Madvise m -> edges(t.mm, m.addr(), m.len());
            case Op.Mremap m -> {
                edges(t.mm, m.addr(), m.len());
                edges(t.mm, m.newAddr(), m.newLen());
                edges(t.mm, m.addr(), Math.min(m.len(), m.newLen()));
            }
            default -> { }
        }
        switch (op) {
            case Op.Spawn s -> addTask(s.task(), new Proc(), new MmSketch(p.pages()));
            case Op.Fork f -> addTask(f.child(), new Proc(), t.mm.forkCopy());
            case Op.Vfork v -> addTask(v.child(), new Proc(), t.mm);
            case Op.Thread th -> addTask(th.thread(), t.proc, t.mm);
            case Op.Exec e -> {
                t.mm = new MmSketch(p.pages());
                t.proc.nofork = false; // a new program has made no promise
            }
            case Op.Exit e -> {
                tasks.remove(t.name);
                t.proc.threads.remove(t);
            }
            case Op.NoFork n -> t.proc.nofork = true;
            case Op.Mmap m -> {
                int a = idx(m.addr()), b = idx(m.addr() + m.len());
                if (m.flags().contains(MapFlag.FIXED)) t.mm.unmap(a, b); // what was there goes
                t.mm.maybe.set(a, b);
                t.mm.sure.set(a, b);
                if (m.kind().type() == MapKind.Type.STACK) t.mm.stack.set(a, b);
            }
            case Op.Munmap m -> t.mm.unmap(idx(m.addr()), idx(m.addr() + m.len()));
            case Op.Mremap m -> t.mm.mremap(idx(m.addr()), idx(m.addr() + m.len()), idx(m.newAddr()),
                    idx(m.newAddr() + m.newLen()));
            case Op.Madvise m -> {
                int a = idx(m.addr()), b = idx(m.addr() + m.len());
                if (m.advice() == Advice.DONTFORK) t.mm.dontcopy.set(a, b);
                if (m.advice() == Advice.DOFORK) t.mm.dontcopy.clear(a, b); // applied to every VMA in the range
            }
            case Op.Touch m -> {
                for (long vp = m.addr(); vp < m.addr() + m.len(); vp++) t.mm.touched(idx(vp));
            }
            default -> { }
        }
    }

    private void edges(MmSketch s, long addr, long len) { s.edges(idx(addr), idx(addr + len)); }

    private void addTask(String name, Proc pr, MmSketch mm) {
        Task c = new Task(name, pr, mm);
        pr.threads.add(c);
        tasks.put(name, c);
    }
}
