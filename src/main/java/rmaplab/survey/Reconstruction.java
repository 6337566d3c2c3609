package rmaplab.survey;

import it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import rmaplab.ledger.Ledgers;
import rmaplab.rmap.Designs;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.Mm;
import rmaplab.sim.Pte;
import rmaplab.sim.Task;
import rmaplab.survey.ProcParse.Region;
import rmaplab.workload.Advice;
import rmaplab.workload.MapFlag;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/**
 * Turns a {@link Snapshot} into a workload whose end state is the surveyed
 * state: processes are created in the order they started (parents first),
 * a child whose address space is still its parent's copy (it shares
 * anonymous pages with it at the same addresses, or has the same stack and
 * executable under address randomization) is {@code fork}ed from it, any
 * other child is {@code vfork}ed and {@code exec}s. Each process then gets its
 * VMAs and its anonymous pages:
 *
 * <ul>
 *   <li>a forked child keeps the VMAs it has exactly as its parent has them,
 *       and of their pages the ones that are still the parent's frame; it
 *       writes (copy-on-write) the pages that differ, drops with
 *       {@code madvise dontneed} those it does not have, unmaps the parent's
 *       VMAs it does not have and maps its own;</li>
 *   <li>a run of adjacent private VMAs of the same backing that differ only in
 *       protection (a library's RELRO and data, a malloc arena and its
 *       reserve, a thread stack and its guard) is mapped as one VMA, written,
 *       then split by {@code mprotect}, so that its pieces share one anon_vma
 *       as they would in the kernel;</li>
 *   <li>every other boundary between adjacent VMAs is kept by moving the
 *       address space up one page at that address, in every process alike
 *       (the model would otherwise merge VMAs the kernel keeps apart for
 *       reasons /proc does not show: anon_vma, name, policy, userfaultfd).</li>
 * </ul>
 *
 * <p>It drives a simulated machine as it goes (the exact design {@code pv},
 * which decides nothing) to see, after a fork, which folios the child holds.
 */
public final class Reconstruction {
    /** How a process was rebuilt. */
    public enum How {
        ROOT, FORK_SHARED_PAGES, FORK_SAME_LAYOUT, EXEC,
        /** A vfork or CLONE_VM child that has not exec'd yet: its parent's mm, not a copy. */
        SAME_MM
    }

    /** What was rebuilt and how closely. */
    public static final class Stats {
        public final Map<How, Integer> processes = new TreeMap<>();
        /** Pages of forked children kept as the parent's frame, written by the child, dropped. */
        public long pagesInherited, pagesWritten, pagesDropped;
        /** VMA runs mapped whole then split by mprotect, pieces in them. */
        public long splitRuns, splitPieces;
        /** Boundaries kept apart by a one-page shift. */
        public int shifts;
        /** Ops the model refused (should be 0: every one is a reconstruction gap). */
        public Map<String, Long> modelErrors = new TreeMap<>();
        /** The surveyed state and the model's. */
        public long realVmas, modelVmas, realAnonPtes, modelAnonPtes, realFrames = -1, modelFolios;
    }

    public record Result(List<Op> ops, Map<Integer, How> how, Stats stats) {}

    private final Snapshot snap;
    private final MachineConfig cfg;
    private final List<Op> ops = new ArrayList<>();
    private final Machine shadow;
    private final Int2LongOpenHashMap frameOf = new Int2LongOpenHashMap();
    private final Stats stats = new Stats();
    private long[] shifts;

    public Reconstruction(Snapshot snap, MachineConfig cfg) {
        this.snap = snap;
        this.cfg = cfg;
        this.shadow = new Machine(cfg, new Ledgers(), Designs.get("pv").factory());
        this.shadow.setStrict(false);
    }

    public static String task(int pid) { return "p" + pid; }

    // ------------------------------------------------------------------ addresses

    /** The model's page for a real page: shifted up by one for every kept-apart boundary at or below it. */
    long m(long page) {
        int i = Arrays.binarySearch(shifts, page);
        int below = i >= 0 ? i + 1 : -i - 1;
        return page + below;
    }

    long mStart(Region r) { return m(r.start()); }

    long mEnd(Region r) { return m(r.end() - 1) + 1; }

    /** Whether two adjacent VMAs look like pieces of one mapping split by mprotect. */
    static boolean splitPieces(Region a, Region b) {
        if (a.end() != b.start() || !a.privateMapping() || !b.privateMapping() || a.stack() || b.stack()) return false;
        if (a.perms().equals(b.perms())) return false; // kept apart by something /proc does not show
        // VM_NORESERVE is the mmap's and nothing changes it later: pieces of one mapping agree on it
        if (a.vmFlags().contains("nr") != b.vmFlags().contains("nr")) return false;
        if (a.fileBacked() != b.fileBacked()) return false;
        if (a.fileBacked())
            return a.dev().equals(b.dev()) && a.inode() == b.inode() && b.pgoff() == a.pgoff() + a.pages();
        return a.path().equals(b.path());
    }

    private List<List<Region>> groups(Snapshot.Proc p) {
        List<List<Region>> out = new ArrayList<>();
        List<Region> cur = null;
        Region prev = null;
        for (Region r : p.regions()) {
            if (cur == null || !(splitPieces(prev, r) && Arrays.binarySearch(shifts, r.start()) < 0)) {
                cur = new ArrayList<>();
                out.add(cur);
            }
            cur.add(r);
            prev = r;
        }
        return out;
    }

    // ------------------------------------------------------------------ the whole

    public Result build() {
        TreeSet<Long> g = new TreeSet<>();
        for (Snapshot.Proc p : snap.procs()) {
            Region prev = null;
            for (Region r : p.regions()) {
                if (prev != null && prev.end() == r.start() && !splitPieces(prev, r)) g.add(r.start());
                prev = r;
            }
        }
        shifts = g.stream().mapToLong(Long::longValue).toArray();
        stats.shifts = shifts.length;

        Map<Integer, Snapshot.Proc> byPid = new HashMap<>();
        for (Snapshot.Proc p : snap.procs()) byPid.put(p.pid(), p);
        List<Snapshot.Proc> order = new ArrayList<>(snap.procs());
        order.sort(Comparator.comparingLong((Snapshot.Proc p) -> p.stat().startTime()).thenComparingInt(Snapshot.Proc::pid));
        Map<Integer, How> how = new LinkedHashMap<>();
        Set<Integer> visiting = new HashSet<>();
        for (Snapshot.Proc p : order) create(p, byPid, how, visiting);

        for (Snapshot.Proc p : snap.procs()) {
            if (how.get(p.pid()) == How.SAME_MM) continue; // its mm is counted with its parent
            stats.realVmas += p.regions().size();
            stats.realAnonPtes += p.anonPages();
        }
        if (snap.pfns()) {
            LongOpenHashSet f = new LongOpenHashSet();
            for (Snapshot.Proc p : snap.procs()) for (long e : p.entries()) if (Snapshot.pfn(e) != 0) f.add(Snapshot.pfn(e));
            stats.realFrames = f.size();
        }
        IntSet folios = new IntSet();
        Set<Mm> seenMms = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Task t : shadow.liveTasks()) {
            Mm mm = t.mm();
            if (!seenMms.add(mm)) continue; // a vfork child's mm is its parent's
            stats.modelVmas += mm.vmaCount();
            mm.pageTable().forEach(0, Long.MAX_VALUE >>> 12, (vp, pte) -> {
                if (Pte.isAnon(pte)) {
                    stats.modelAnonPtes++;
                    folios.add(Pte.id(pte));
                }
            });
        }
        stats.modelFolios = folios.size();
        stats.modelErrors.putAll(shadow.errors());
        return new Result(List.copyOf(ops), how, stats);
    }

    private static final class IntSet {
        private final it.unimi.dsi.fastutil.ints.IntOpenHashSet s = new it.unimi.dsi.fastutil.ints.IntOpenHashSet();
        void add(int i) { s.add(i); }
        int size() { return s.size(); }
    }

    private void emit(Op op) {
        ops.add(op);
        shadow.apply(op);
    }

    private void create(Snapshot.Proc p, Map<Integer, Snapshot.Proc> byPid, Map<Integer, How> how, Set<Integer> visiting) {
        if (how.containsKey(p.pid()) || !visiting.add(p.pid())) return;
        Snapshot.Proc parent = p.ppid() == p.pid() ? null : byPid.get(p.ppid());
        if (parent != null) create(parent, byPid, how, visiting); // a parent before its child, whatever the clock says
        if (parent != null && !how.containsKey(parent.pid())) parent = null; // a cycle: cannot happen in a real tree
        String name = task(p.pid());
        How h;
        if (parent == null) {
            emit(new Op.Spawn(name));
            for (List<Region> grp : groups(p)) fresh(p, grp);
            h = How.ROOT;
        } else {
            h = inheritance(p, parent);
            if (h == How.SAME_MM) {
                emit(new Op.Vfork(task(parent.pid()), name));
            } else if (h == How.EXEC) {
                emit(new Op.Vfork(task(parent.pid()), name));
                emit(new Op.Exec(name));
                for (List<Region> grp : groups(p)) fresh(p, grp);
            } else {
                emit(new Op.Fork(task(parent.pid()), name));
                adjust(p, parent);
            }
        }
        how.put(p.pid(), h);
        stats.processes.merge(h, 1, Integer::sum);
    }

    /** Whether the child's address space is (still) a copy of its parent's, and on what evidence. */
    How inheritance(Snapshot.Proc c, Snapshot.Proc p) {
        if (sameMm(c, p)) return How.SAME_MM;
        if (c.exe() != null && p.exe() != null && !c.exe().equals(p.exe())) return How.EXEC;
        for (int i = 0; i < c.vpages().length; i++) {
            long pe = p.entry(c.vpages()[i]);
            if (pe != 0 && sameFrame(pe, c.entries()[i])) return How.FORK_SHARED_PAGES;
        }
        if (snap.aslr()) {
            Region cs = stack(c), ps = stack(p);
            if (cs != null && ps != null && cs.end() == ps.end()) return How.FORK_SAME_LAYOUT;
        }
        return How.EXEC;
    }

    /**
     * Whether two processes share one mm (a vfork or CLONE_VM child before its
     * exec): both map a frame at the same address and pagemap marks it
     * exclusive (mapcount 1) in both — one PTE seen twice.
     */
    static boolean sameMm(Snapshot.Proc c, Snapshot.Proc p) {
        for (int i = 0; i < c.vpages().length; i++) {
            long ce = c.entries()[i];
            if (!Snapshot.exclusive(ce) || (ce & ProcParse.SYNTHETIC) != 0 || Snapshot.pfn(ce) == 0) continue;
            long pe = p.entry(c.vpages()[i]);
            return pe != 0 && Snapshot.exclusive(pe) && Snapshot.pfn(pe) == Snapshot.pfn(ce);
        }
        return false;
    }

    private static Region stack(Snapshot.Proc p) {
        for (Region r : p.regions()) if (r.path().equals("[stack]")) return r;
        return null;
    }

    /** Two pagemap entries show one frame: equal frame numbers, or (numbers hidden) both not exclusive. */
    boolean sameFrame(long a, long b) {
        long fa = Snapshot.pfn(a), fb = Snapshot.pfn(b);
        if (fa != 0 && fb != 0) {
            if (fa != fb) return false;
            long[] f = snap.frames().get(fa);
            return f == null || f[1] < 0 || (f[1] >>> ProcParse.KPF_KSM & 1) == 0; // KSM sharing is not fork's
        }
        if (fa != 0 || fb != 0) return false;
        return !Snapshot.exclusive(a) && !Snapshot.exclusive(b) && (a & ProcParse.SYNTHETIC) == 0
                && (b & ProcParse.SYNTHETIC) == 0;
    }

    // ------------------------------------------------------------------ one process

    /** The identity of a VMA as /proc shows it, without smaps' figures. */
    private record Key(long start, long end, String perms, long pgoff, String dev, long inode, String path) {
        static Key of(Region r) { return new Key(r.start(), r.end(), r.perms(), r.pgoff(), r.dev(), r.inode(), r.path()); }
    }

    private static List<Key> keys(List<Region> g) { return g.stream().map(Key::of).toList(); }

    private void adjust(Snapshot.Proc c, Snapshot.Proc p) {
        String name = task(c.pid());
        List<List<Region>> pg = groups(p), cg = groups(c);
        Map<List<Key>, List<Region>> parentGroups = new LinkedHashMap<>();
        for (List<Region> g : pg) parentGroups.put(keys(g), g);
        List<List<Region>> kept = new ArrayList<>(), fresh = new ArrayList<>();
        Set<List<Key>> used = new HashSet<>();
        List<Runnable> resizes = new ArrayList<>();
        for (List<Region> g : cg) {
            List<Key> k = keys(g);
            List<Region> same = parentGroups.get(k);
            if (same != null && copied(same)) {
                kept.add(g);
                used.add(k);
                continue;
            }
            List<Region> like = resizable(g, pg);
            if (like != null) {
                kept.add(g);
                used.add(keys(like));
                resizes.add(() -> resize(name, like, g));
                continue;
            }
            fresh.add(g);
        }
        for (List<Region> g : pg) {
            if (used.contains(keys(g))) continue;
            long s = mStart(g.get(0)), e = mEnd(g.get(g.size() - 1));
            emit(new Op.Munmap(name, s, e - s));
        }
        resizes.forEach(Runnable::run);
        for (List<Region> g : fresh) fresh(c, g);
        for (List<Region> g : kept) for (Region r : g) diffPages(c, r);
    }

    /** Every piece of the parent's group was copied at fork (none is VM_DONTCOPY). */
    private static boolean copied(List<Region> g) {
        for (Region r : g) if (r.vmFlags().contains("dc")) return false;
        return true;
    }

    /**
     * The parent's group that this one of the child's is a resized copy of:
     * an anonymous VMA that grew or shrank at its end (brk, mremap in place)
     * or a stack that grew down further in one of them.
     */
    private static List<Region> resizable(List<Region> g, List<List<Region>> parentGroups) {
        if (g.size() != 1) return null;
        Region c = g.get(0);
        if (c.fileBacked() || !c.privateMapping()) return null;
        for (List<Region> pg : parentGroups) {
            if (pg.size() != 1 || !copied(pg)) continue;
            Region p = pg.get(0);
            if (p.fileBacked() || !p.perms().equals(c.perms()) || !p.path().equals(c.path())) continue;
            if (c.stack() && p.stack() && c.end() == p.end()) return pg;
            if (!c.stack() && !p.stack() && c.start() == p.start()) return pg;
        }
        return null;
    }

    private void resize(String name, List<Region> parentGroup, List<Region> childGroup) {
        Region p = parentGroup.get(0), c = childGroup.get(0);
        if (c.stack()) {
            // a child stack that reaches lower grows down by itself when its lowest page is written
            if (c.start() > p.start()) emit(new Op.Munmap(name, mStart(p), mStart(c) - mStart(p)));
            return;
        }
        long s = mStart(p), oldLen = mEnd(p) - s, newLen = mEnd(c) - s;
        if (newLen < oldLen) emit(new Op.Munmap(name, s + newLen, oldLen - newLen));
        else if (newLen > oldLen) emit(new Op.Mremap(name, s, oldLen, s, newLen));
    }

    /** Maps a group of the process's own (not inherited): whole, written, then split by mprotect. */
    private void fresh(Snapshot.Proc p, List<Region> g) {
        String name = task(p.pid());
        Region first = g.get(0), last = g.get(g.size() - 1);
        long s = mStart(first), e = mEnd(last);
        boolean hasPages = false;
        for (Region r : g) if (pagesIn(p, r).length > 0) hasPages = true;
        boolean whole = g.size() > 1 || (hasPages && !first.writable());
        Prot mapProt = whole ? Prot.RW : prot(first);
        emit(new Op.Mmap(name, s, e - s, mapProt, kind(first), mapFlags(first)));
        if (g.size() > 1) {
            stats.splitRuns++;
            stats.splitPieces += g.size();
        }
        for (Region r : g) write(p, name, pagesIn(p, r));
        if (whole) for (Region r : g) if (prot(r) != Prot.RW) emit(new Op.Mprotect(name, mStart(r), mEnd(r) - mStart(r), prot(r)));
        for (Region r : g) flags(name, r);
    }

    /**
     * The VM flags smaps shows that decide merges and that a workload can set: dc (VM_DONTCOPY),
     * wf (VM_WIPEONFORK), hg (VM_HUGEPAGE), nh (VM_NOHUGEPAGE, also what MAP_STACK sets since 6.7:
     * the advice gives the same flag). VM_NORESERVE (nr) is the mmap's: see {@link #mapFlags}.
     */
    private void flags(String name, Region r) {
        long s = mStart(r), n = mEnd(r) - s;
        if (r.vmFlags().contains("dc")) emit(new Op.Madvise(name, s, n, Advice.DONTFORK));
        if (r.vmFlags().contains("wf")) emit(new Op.Madvise(name, s, n, Advice.WIPEONFORK));
        if (r.vmFlags().contains("hg")) emit(new Op.Madvise(name, s, n, Advice.HUGEPAGE));
        if (r.vmFlags().contains("nh")) emit(new Op.Madvise(name, s, n, Advice.NOHUGEPAGE));
    }

    /** MAP_NORESERVE for a VMA smaps shows with nr (VM_NORESERVE: do_mmap sets it only for MAP_NORESERVE). */
    static Set<MapFlag> mapFlags(Region r) {
        return r.vmFlags().contains("nr") ? EnumSet.of(MapFlag.NORESERVE) : EnumSet.noneOf(MapFlag.class);
    }

    /** Whether p has anonymous pages in r. */
    public static boolean hasPages(Snapshot.Proc p, Region r) {
        return lowerBound(p.vpages(), r.start()) < lowerBound(p.vpages(), r.end());
    }

    /** Indices into p's page arrays of the pages in r. */
    private static int[] pagesIn(Snapshot.Proc p, Region r) {
        int a = lowerBound(p.vpages(), r.start()), b = lowerBound(p.vpages(), r.end());
        int[] out = new int[b - a];
        for (int i = a; i < b; i++) out[i - a] = i;
        return out;
    }

    private static int lowerBound(long[] a, long key) {
        int i = Arrays.binarySearch(a, key);
        if (i < 0) return -i - 1;
        while (i > 0 && a[i - 1] == key) i--;
        return i;
    }

    /** Writes the given pages of p (ascending), one touch op per run, and notes which real frame each folio stands for. */
    private void write(Snapshot.Proc p, String name, int[] idx) {
        for (int i = 0; i < idx.length; ) {
            int j = i + 1;
            while (j < idx.length && m(p.vpages()[idx[j]]) == m(p.vpages()[idx[j - 1]]) + 1) j++;
            long s = m(p.vpages()[idx[i]]);
            emit(new Op.Touch(name, s, j - i, true));
            Mm mm = shadow.task(name).mm();
            for (int k = i; k < j; k++) {
                long pte = mm.pageTable().get(m(p.vpages()[idx[k]]));
                if (Pte.isAnon(pte)) frameOf.put(Pte.id(pte), p.entries()[idx[k]]);
            }
            i = j;
        }
    }

    /** In a VMA the child kept from its parent: keep the parent's frames it still has, write the others, drop the rest. */
    private void diffPages(Snapshot.Proc c, Region r) {
        String name = task(c.pid());
        Mm mm = shadow.task(name).mm();
        long s = mStart(r), e = mEnd(r);
        // model pages present now (inherited at fork), by model address
        TreeMap<Long, Integer> held = new TreeMap<>();
        mm.pageTable().forEach(s, e, (vp, pte) -> {
            if (Pte.isAnon(pte)) held.put(vp, Pte.id(pte));
        });
        int[] idx = pagesIn(c, r);
        List<Integer> toWrite = new ArrayList<>();
        LongArrayList toDrop = new LongArrayList();
        Set<Long> seen = new HashSet<>();
        for (int i : idx) {
            long mv = m(c.vpages()[i]);
            seen.add(mv);
            Integer f = held.get(mv);
            if (f != null && frameOf.containsKey(f.intValue()) && sameFrame(frameOf.get(f.intValue()), c.entries()[i])) {
                stats.pagesInherited++;
            } else {
                toWrite.add(i);
            }
        }
        for (long mv : held.keySet()) if (!seen.contains(mv)) toDrop.add(mv);
        for (int i = 0; i < toDrop.size(); ) {
            int j = i + 1;
            while (j < toDrop.size() && toDrop.getLong(j) == toDrop.getLong(j - 1) + 1) j++;
            emit(new Op.Madvise(name, toDrop.getLong(i), j - i, Advice.DONTNEED));
            i = j;
        }
        stats.pagesDropped += toDrop.size();
        stats.pagesWritten += toWrite.size();
        if (toWrite.isEmpty()) return;
        int[] w = toWrite.stream().mapToInt(Integer::intValue).toArray();
        boolean ro = !prot(r).write;
        if (ro) emit(new Op.Mprotect(name, s, e - s, Prot.RW));
        write(c, name, w);
        if (ro) emit(new Op.Mprotect(name, s, e - s, prot(r)));
    }

    // ------------------------------------------------------------------ spelling

    /** The protection as maps spells it (the format has all eight, -w-, --x and -wx included). */
    static Prot prot(Region r) {
        return Prot.parse(r.perms().substring(0, 3));
    }

    static MapKind kind(Region r) {
        if (r.special()) return MapKind.sharedFile(fileName(r), 0);
        if (r.shared()) return r.fileBacked() ? MapKind.sharedFile(fileName(r), r.pgoff()) : MapKind.SHARED;
        if (r.fileBacked()) return MapKind.file(fileName(r), r.pgoff());
        return r.stack() ? MapKind.STACK : MapKind.ANON;
    }

    /** A file name the workload format accepts: the path, else the device and inode. */
    static String fileName(Region r) {
        String base = r.path().isEmpty() ? "dev" + r.dev() + "-ino" + r.inode() : r.path();
        StringBuilder b = new StringBuilder();
        for (char ch : base.toCharArray())
            b.append(Character.isLetterOrDigit(ch) && ch < 128 || ch == '_' || ch == '.' || ch == '-' || ch == '/' ? ch : '_');
        return b.toString();
    }
}
