package rmaplab.record;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import rmaplab.workload.Advice;
import rmaplab.workload.MapFlag;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;
import rmaplab.workload.WorkloadException;

/**
 * The syscalls of the event set as workload ops: munmap, mprotect and madvise at their enter
 * events; mmap when its MMAP2 line tells where the kernel put it; brk and mremap at their exit
 * events, which tell the result. A syscall waiting for its result is the task's {@link Call}.
 */
final class SyscallDecoder {
    private static final long PAGE = ImportContext.PAGE;

    /** A syscall whose result is still to come. */
    sealed interface Call {
        long line();
    }

    record MmapCall(long line, long addr, long len, long prot, long flags, long fd, long off) implements Call {}

    record BrkCall(long line, long requested) implements Call {}

    record MremapCall(long line, long addr, long oldLen, long newLen, long flags, long newAddr) implements Call {}

    private final ImportContext ctx;
    private final Attribution attribution;

    SyscallDecoder(ImportContext ctx, Attribution attribution) {
        this.ctx = ctx;
        this.attribution = attribution;
    }

    /** A syscall that never showed its result (failed, or its exit event was lost). */
    void end(TracedTask t) {
        if (t.sys == null) return;
        switch (t.sys) {
            case MmapCall m -> {
                // __mmap_region's error path (e.g. hugetlbfs_file_mmap refusing a MAP_HUGETLB mapping when
                // no huge pages can be reserved) freed what __mmap_new_vma had allocated; a VMA allocated
                // and not freed was mapped, and its MMAP2 line is missing
                long vmas = 0;
                for (Attribution.Kmem k : t.pending)
                    if (k.kind().equals("vm_area_struct")) vmas += k.alloc() ? 1 : -1;
                if (vmas > 0) ctx.damage("mmap calls whose VMA was allocated and not freed, without an MMAP2 line");
                attribution.settle(t, k -> Truth.FAILED);
                ctx.count("mmap calls that mapped nothing (failed)");
            }
            case BrkCall b -> ctx.damage("brk calls without their sys_exit_brk line");
            case MremapCall m -> ctx.damage("mremap calls without their sys_exit_mremap line");
        }
        t.sys = null;
    }

    private long arg(Map<String, Long> a, String name) throws WorkloadException {
        Long v = a.get(name);
        if (v == null) throw ctx.error("syscall argument '" + name + "' missing");
        return v;
    }

    /** A sys_enter event of t, after its prologue. */
    void enter(TracedTask t, PerfEvent.SysEnter e) throws WorkloadException, IOException {
        Map<String, Long> a = e.args();
        end(t);
        attribution.settle(t);
        switch (e.call()) {
            case "mmap" -> {
                t.sys = new MmapCall(ctx.line, arg(a, "addr"), arg(a, "len"), arg(a, "prot"), arg(a, "flags"),
                        arg(a, "fd"), arg(a, "off"));
                t.begin("mmap");
            }
            case "munmap" -> {
                long addr = arg(a, "addr"), len = ctx.pagesUp(arg(a, "len"));
                ctx.aligned(addr, "munmap addr");
                t.begin("munmap");
                t.range(addr / PAGE, len);
                if (len == 0) {
                    ctx.unrepresented("munmap of length 0 (EINVAL)");
                    return;
                }
                ctx.emit(new Op.Munmap(t.name, addr / PAGE, len));
                t.mm.remove(addr / PAGE, addr / PAGE + len);
            }
            case "mprotect" -> {
                long start = arg(a, "start"), len = ctx.pagesUp(arg(a, "len")), prot = arg(a, "prot");
                ctx.aligned(start, "mprotect start");
                t.begin("mprotect");
                t.range(start / PAGE, len);
                if (len == 0) return; // a no-op in Linux
                if ((prot & 0x03000000L) != 0) ctx.unrepresented("mprotect with PROT_GROWSDOWN/GROWSUP (range not extended)");
                ctx.emit(new Op.Mprotect(t.name, start / PAGE, len, ImportContext.prot(prot)));
            }
            case "brk" -> {
                t.sys = new BrkCall(ctx.line, arg(a, "brk"));
                t.begin(Truth.UNATTRIBUTED);
            }
            case "mremap" -> {
                t.sys = new MremapCall(ctx.line, arg(a, "addr"), arg(a, "old_len"), arg(a, "new_len"), arg(a, "flags"),
                        arg(a, "new_addr"));
                t.begin("mremap");
            }
            case "madvise" -> madvise(t, arg(a, "start"), arg(a, "len_in"), arg(a, "behavior"));
            default -> throw new IllegalStateException(e.call());
        }
    }

    private void madvise(TracedTask t, long start, long lenBytes, long behavior) throws WorkloadException, IOException {
        ctx.aligned(start, "madvise start");
        long s = start / PAGE, len = ctx.pagesUp(lenBytes);
        t.begin("madvise");
        t.range(s, len);
        if (len == 0) return;
        Advice adv = switch ((int) behavior) {
            case 4 -> Advice.DONTNEED;
            case 10 -> Advice.DONTFORK;
            case 11 -> Advice.DOFORK;
            case 18 -> Advice.WIPEONFORK;
            case 19 -> Advice.KEEPONFORK;
            case 14 -> Advice.HUGEPAGE; // hugepage_madvise: VM_HUGEPAGE (splits and merges like any flag change)
            case 15 -> Advice.NOHUGEPAGE;
            default -> null;
        };
        if (behavior == 22 || behavior == 23) { // MADV_POPULATE_READ / _WRITE: pages without faults
            for (Layout.Range r : t.mm.overlaps(s, s + len))
                ctx.emit(new Op.Touch(t.name, r.start(), r.end() - r.start(), behavior == 23));
            t.begin("touch");
            ctx.count("MADV_POPULATE ranges written as touches");
            return;
        }
        if (adv == null) {
            ctx.unrepresented("madvise " + adviceName(behavior));
            return;
        }
        ctx.emit(new Op.Madvise(t.name, s, len, adv));
        if (adv == Advice.DONTFORK) t.mm.flag(s, s + len, Layout.DONTFORK, true);
        if (adv == Advice.DOFORK) t.mm.flag(s, s + len, Layout.DONTFORK, false);
    }

    private static String adviceName(long b) {
        return switch ((int) b) {
            case 0 -> "MADV_NORMAL";
            case 1 -> "MADV_RANDOM";
            case 2 -> "MADV_SEQUENTIAL";
            case 3 -> "MADV_WILLNEED";
            case 8 -> "MADV_FREE";
            case 9 -> "MADV_REMOVE";
            case 12 -> "MADV_MERGEABLE (KSM)";
            case 13 -> "MADV_UNMERGEABLE (KSM)";
            case 14 -> "MADV_HUGEPAGE";
            case 15 -> "MADV_NOHUGEPAGE";
            case 16 -> "MADV_DONTDUMP";
            case 17 -> "MADV_DODUMP";
            case 20 -> "MADV_COLD";
            case 21 -> "MADV_PAGEOUT";
            case 24 -> "MADV_DONTNEED_LOCKED";
            case 25 -> "MADV_COLLAPSE";
            case 100 -> "MADV_HWPOISON";
            case 101 -> "MADV_SOFT_OFFLINE";
            case 102 -> "MADV_GUARD_INSTALL";
            case 103 -> "MADV_GUARD_REMOVE";
            default -> "advice " + b;
        };
    }

    /** A sys_exit event of t (brk or mremap), after its prologue. */
    void exit(TracedTask t, PerfEvent.SysExit e) throws WorkloadException, IOException {
        if (e.call().equals("brk")) brkExit(t, e.ret());
        else mremapExit(t, e.ret());
    }

    private void brkExit(TracedTask t, long ret) throws IOException {
        long old = t.mm.brk;
        String op = Truth.UNATTRIBUTED;
        if (!(t.sys instanceof BrkCall)) ctx.damage("brk exits without their sys_enter_brk line");
        if (old >= 0 && ret != old) {
            long from = ImportContext.pageUp(old) / PAGE, to = ImportContext.pageUp(ret) / PAGE;
            if (to > from) { // do_brk_flags: the heap grows (mm/mmap.c)
                List<Layout.Range> over = t.mm.overlaps(from, to);
                if (!over.isEmpty()) {
                    ctx.damage("brk growth over a known mapping (a line missing?)");
                    for (Layout.Range r : over) ctx.emit(new Op.Munmap(t.name, r.start(), r.end() - r.start()));
                    t.mm.remove(from, to);
                }
                ctx.emit(new Op.Mmap(t.name, from, to - from, Prot.RW, MapKind.ANON));
                t.mm.add(from, to, 0);
                op = "mmap";
            } else if (to < from) { // brk shrinks: do_vmi_align_munmap
                ctx.emit(new Op.Munmap(t.name, to, from - to));
                t.mm.remove(to, from);
                op = "munmap";
            }
        } else if (old < 0 && t.sys instanceof BrkCall b && b.requested != 0 && b.requested == ret) {
            ctx.unrepresented("brk changes from an unknown previous break (heap not written)");
        }
        final String o = op;
        attribution.settle(t, k -> o);
        t.mm.brk = ret;
        t.sys = null;
        t.begin(o);
    }

    private void mremapExit(TracedTask t, long ret) throws WorkloadException, IOException {
        if (!(t.sys instanceof MremapCall m)) {
            attribution.settle(t);
            ctx.damage("mremap exits without their sys_enter_mremap line");
            t.sys = null;
            return;
        }
        t.sys = null;
        if (Long.compareUnsigned(ret, -4095L) >= 0) { // an error: nothing changed
            attribution.settle(t);
            return;
        }
        ctx.aligned(m.addr, "mremap addr");
        ctx.aligned(ret, "mremap result");
        long s = m.addr / PAGE, oldLen = ctx.pagesUp(m.oldLen), newLen = ctx.pagesUp(m.newLen), ns = ret / PAGE;
        if (oldLen == 0 || newLen == 0) {
            attribution.settle(t);
            if (oldLen == 0) ctx.unrepresented("mremap with old_len 0 (duplicates a shared mapping)");
            return;
        }
        if ((m.flags & 4) != 0) ctx.unrepresented("mremap MREMAP_DONTUNMAP (written as a plain move)");
        List<Layout.Range> src = t.mm.overlaps(s, s + oldLen);
        // the part of a moved target over the source itself moves away; the rest is unmapped first
        List<Layout.Range> unmap = new ArrayList<>();
        if (ns != s)
            for (Layout.Range r : t.mm.overlaps(ns, ns + newLen))
                unmap.addAll(cut(Math.max(r.start(), ns), Math.min(r.end(), ns + newLen), s, s + oldLen));
        if (unmap.isEmpty()) attribution.settle(t);
        else {
            attribution.settleMremapOnto(t);
            for (Layout.Range x : unmap) {
                ctx.emit(new Op.Munmap(t.name, x.start(), x.end() - x.start()));
                t.mm.remove(x.start(), x.end());
            }
        }
        ctx.emit(new Op.Mremap(t.name, s, oldLen, ns, newLen));
        int flags = src.isEmpty() ? 0 : src.get(0).flags();
        t.mm.remove(s, s + oldLen);
        t.mm.remove(ns, ns + newLen);
        t.mm.add(ns, ns + newLen, flags);
        t.begin("mremap");
        t.range(ns, newLen);
    }

    /** [a, b) without [s, e). */
    private static List<Layout.Range> cut(long a, long b, long s, long e) {
        List<Layout.Range> out = new ArrayList<>();
        if (a < Math.min(b, s)) out.add(new Layout.Range(a, Math.min(b, s), 0));
        if (Math.max(a, e) < b) out.add(new Layout.Range(Math.max(a, e), b, 0));
        return out;
    }

    // ------------------------------------------------------------------ mmap

    /**
     * The start of the one unmapped stretch of [start, end), when there is exactly one and it is len
     * pages long (an mmap that vma_merge_new_range joined to the VMAs on both sides); else -1.
     */
    private static long holeOf(Layout mm, long start, long end, long len) {
        long at = start, hole = -1;
        List<Layout.Range> over = mm.overlaps(start, end);
        for (int i = 0; i <= over.size(); i++) {
            long next = i < over.size() ? over.get(i).start() : end;
            if (next > at) {
                if (hole >= 0 || next - at != len) return -1;
                hole = at;
            }
            if (i < over.size()) at = over.get(i).end();
        }
        return hole;
    }

    /**
     * An mmap call's MMAP2 line: the mapping the call asked for, placed within the MMAP2 range (which
     * is larger when the kernel merged the new VMA with a neighbour).
     */
    void mmapped(TracedTask t, MmapCall c, TaskTracker.Mapping m) throws WorkloadException, IOException {
        long ms = m.s(), me = m.e();
        Prot prot = m.prot();
        String path = m.path(), dev = m.dev();
        long len = ctx.pagesUp(c.len);
        // an MMAP2 range of just the pages asked for is a new VMA, not merged with a neighbour: __mmap_new_vma
        // allocated it (vm_area_alloc) since the call began
        if (len == me - ms && Attribution.vmasAllocated(t) == 0)
            ctx.damage("mmap calls that made a VMA with no vm_area_alloc line before their MMAP2 line (missing)");
        long flags = c.flags;
        boolean fixed = (flags & 0x10) != 0 || (flags & 0x100000) != 0;
        boolean replaces = (flags & 0x10) != 0; // MAP_FIXED (MAP_FIXED_NOREPLACE fails with EEXIST instead)
        long s;
        if (len == 0 || len > me - ms) {
            ctx.unrepresented("mmap whose MMAP2 line does not fit its arguments (MMAP2 range used)");
            s = ms;
            len = me - ms;
        } else if (fixed) {
            ctx.aligned(c.addr, "mmap MAP_FIXED addr");
            s = c.addr / PAGE;
            if (s < ms || s + len > me) {
                ctx.unrepresented("mmap whose MMAP2 line does not fit its arguments (MMAP2 range used)");
                s = ms;
                len = me - ms;
            }
        } else if (len == me - ms || t.mm.free(ms, ms + len)) {
            s = ms; // a new VMA, or merged with the one after it
        } else if (t.mm.free(me - len, me)) {
            s = me - len; // merged with the one before it
        } else if (holeOf(t.mm, ms, me, len) >= 0) {
            s = holeOf(t.mm, ms, me, len); // merged with the ones before and after it: the hole between them
        } else {
            ctx.unrepresented("mmap whose place could not be told (MMAP2 range used)");
            s = ms;
            len = me - ms;
        }
        boolean anon = (flags & 0x20) != 0 || path.startsWith("/dev/zero");
        boolean shared = (flags & 0x3) == 1 || (flags & 0x3) == 3;
        if ((flags & 0x3) == 0 && !anon) shared = m.shared();
        if ((flags & 0x40000) != 0) ctx.unrepresented("MAP_HUGETLB mappings (written as small pages)");
        // do_mmap: MAP_NORESERVE gives VM_NORESERVE (with vm.overcommit_memory 0 or 1, as on the machines
        // recorded here), and calc_vm_flag_bits gives a MAP_STACK mapping VM_NOHUGEPAGE (Linux 6.7 on);
        // both change which VMAs merge, so the workload carries them as mmap FLAGS
        EnumSet<MapFlag> mapFlags = EnumSet.noneOf(MapFlag.class);
        if ((flags & 0x4000) != 0) mapFlags.add(MapFlag.NORESERVE);
        if ((flags & 0x20000) != 0) mapFlags.add(MapFlag.STACK);
        MapKind kind;
        if (anon) kind = shared ? MapKind.SHARED : (flags & 0x100) != 0 ? MapKind.STACK : MapKind.ANON;
        else {
            ctx.aligned(c.off, "mmap offset");
            kind = shared ? MapKind.sharedFile(ctx.fileName(path, dev), c.off / PAGE)
                    : MapKind.file(ctx.fileName(path, dev), c.off / PAGE);
        }
        boolean unmapped = false;
        List<Layout.Range> over = t.mm.overlaps(s, s + len);
        if (!over.isEmpty()) {
            if (replaces) {
                // __mmap_region replaces what lies there in one call (gather, map and merge, then free the
                // old VMAs): the workload says so with the FLAG fixed, and every event belongs to the mmap
                mapFlags.add(MapFlag.FIXED);
                ctx.count("MAP_FIXED mmaps over known mappings (written with the FLAG fixed)");
            } else {
                ctx.damage("mmap over a known mapping without MAP_FIXED (a line missing?)");
                for (Layout.Range x : over) ctx.emit(new Op.Munmap(t.name, x.start(), x.end() - x.start()));
                unmapped = true;
            }
            t.mm.remove(s, s + len);
        }
        boolean replacing = mapFlags.contains(MapFlag.FIXED);
        t.replacing = replacing;
        attribution.settleMunmapMmap(t, unmapped, "mmap");
        ctx.emit(new Op.Mmap(t.name, s, len, prot, kind, mapFlags));
        t.mm.add(s, s + len, kind.type() == MapKind.Type.STACK ? Layout.STACK : 0);
        t.begin("mmap");
        t.replacing = replacing;
        // __mmap_region frees the VMAs it replaced after the new mapping is announced (vms_complete_munmap_vmas)
        if (unmapped) t.freeOp = "munmap";
        if ((flags & 0x8000) != 0 || (flags & 0x2000) != 0) {
            // MAP_POPULATE / MAP_LOCKED: populate_vma_page_range faults every page in, writing private
            // writable mappings to break CoW (mm/gup.c); no fault events come
            boolean w = prot.write && !kind.isShared();
            ctx.emit(new Op.Touch(t.name, s, len, w));
            ctx.count("MAP_POPULATE/MAP_LOCKED ranges written as touches");
            t.begin("touch");
            if (unmapped) t.freeOp = "munmap";
        }
    }
}
