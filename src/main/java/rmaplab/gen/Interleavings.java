package rmaplab.gen;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import rmaplab.gen.Sketch.Task;
import rmaplab.workload.Advice;
import rmaplab.workload.MapFlag;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/**
 * The interleavings where reverse mapping goes wrong, which the random
 * generator injects on purpose: fork then a partial munmap, mremap of ranges
 * shared with children, mprotect splits and re-merges, a middle process of a
 * fork chain exiting, exec after fork, threads, vfork, CoW writes on both
 * sides, stack growth, adjacent mappings that merge, reservations committed
 * in pieces, madvise that changes what fork copies, a part moved out and
 * back, migration of shared folios. Each one is a short scene of ops on
 * tasks chosen from the {@link Sketch}; an op the sketch refuses is skipped
 * and the scene goes on or stops.
 */
abstract class Interleavings extends Choices {
    Interleavings(RandomOps.Params p, Sketch sketch) { super(p, sketch); }

    /** fork, then munmap part of a shared range in the parent or the child, then write and walk. */
    final void forkThenPartialMunmap() {
        Task par = forker(1);
        if (par == null || someMapping(par, chance(70)) == null) return;
        String cn = fork(par);
        if (cn == null) return;
        Task ch = sketch.get(cn);
        Task who = chance(50) ? par : ch, other = who == par ? ch : par;
        long[] r = partOfRun(who.mm);
        if (r != null) emit(new Op.Munmap(who.name, r[0], r[1]));
        long[] w = mappedRange(other.mm);
        emit(new Op.Touch(other.name, w[0], w[1], true));
        long[] v = mappedRange(par.mm);
        emit(new Op.Walk(par.name, v[0], v[1]));
    }

    /**
     * mremap (move) of a range shared with a child, faulted or not, to a place
     * next to another mapping; writes at the new place; sometimes a move back.
     */
    final void mremapShared() {
        Task par = forker(1);
        if (par == null) return;
        long[] r = someMapping(par, false);
        if (r == null) return;
        r = moveSource(par.mm);
        if (chance(60)) emit(new Op.Touch(par.name, r[0], r[1], chance(80)));
        String cn = fork(par);
        if (cn == null) return;
        Task ch = sketch.get(cn);
        if (chance(50)) emit(new Op.Touch(ch.name, r[0], r[1], true));
        Task who = chance(50) ? par : ch, other = who == par ? ch : par;
        long newLen = chance(75) ? r[1] : Math.max(1, r[1] + rnd.nextInt(3) - 1);
        long d = freePlace(who.mm, (int) newLen, 90, r[0], r[0] + r[1]);
        if (d < 0) return;
        if (!emit(new Op.Mremap(who.name, r[0], r[1], d, newLen))) return;
        if (chance(60)) emit(new Op.Touch(who.name, d, newLen, chance(70)));
        emit(new Op.Walk(other.name, r[0], r[1]));
        if (chance(50)) {
            emit(new Op.Mremap(who.name, d, newLen, r[0], newLen));
            if (chance(50)) emit(new Op.Touch(who.name, r[0], newLen, true));
        }
        emit(new Op.Walk(who.name, Math.min(r[0], d), Math.max(r[0] + r[1], d + newLen) - Math.min(r[0], d)));
    }

    /**
     * A reservation as the JVM makes one (--- with MAP_NORESERVE, or without),
     * committed (rw-) and written in pieces, some uncommitted again (---), maybe
     * forked, maybe given MADV_HUGEPAGE / MADV_NOHUGEPAGE on a part: whether the
     * pieces merge back depends on VM_NORESERVE (never VM_ACCOUNT) and on the
     * huge page flags.
     */
    final void reserveCommit() {
        Task t = anyTask();
        int len = 4 + rnd.nextInt(9);
        Set<MapFlag> f = chance(70) ? Set.of(MapFlag.NORESERVE) : mapFlags();
        long[] r = mmap(t, len, Prot.NONE, MapKind.ANON, f);
        if (r == null) return;
        for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
            long a = r[0] + rnd.nextInt(len), n = 1 + rnd.nextInt((int) (r[0] + len - a));
            emit(new Op.Mprotect(t.name, a, n, Prot.RW));
            if (chance(80)) emit(new Op.Touch(t.name, a, n, true));
        }
        if (chance(30)) fork(t);
        if (chance(40)) {
            long a = r[0] + rnd.nextInt(len);
            emit(new Op.Madvise(t.name, a, 1 + rnd.nextInt((int) (r[0] + len - a)),
                    chance(50) ? Advice.HUGEPAGE : Advice.NOHUGEPAGE));
        }
        long a = r[0] + rnd.nextInt(len);
        emit(new Op.Mprotect(t.name, a, 1 + rnd.nextInt((int) (r[0] + len - a)), Prot.NONE));
        if (chance(50)) emit(new Op.Mprotect(t.name, r[0], len, chance(50) ? Prot.NONE : Prot.RW));
        emit(new Op.Walk(t.name, r[0], len));
    }

    /** rw- → r-- → rw- of a sub-range: a split, then a re-merge. */
    final void mprotectSplitRemerge() {
        Task t = anyTask();
        if (someMapping(t, false) == null) return;
        long[] r = partOfRun(t.mm);
        if (r == null) return;
        if (chance(60)) emit(new Op.Touch(t.name, r[0] > p.base() ? r[0] - 1 : r[0], r[1] + 1, true));
        emit(new Op.Mprotect(t.name, r[0], r[1], Prot.R));
        if (chance(50)) emit(new Op.Touch(t.name, r[0], r[1], chance(30)));
        if (chance(40)) fork(t); // the split VMAs are copied
        emit(new Op.Mprotect(t.name, r[0], r[1], Prot.RW));
        if (chance(60)) emit(new Op.Touch(t.name, r[0], r[1], true));
        long[] w = mappedRange(t.mm);
        emit(new Op.Walk(t.name, w[0], w[1]));
    }

    /** P → C → G (and maybe G2), everybody writes, C exits while its children live. */
    final void chainMiddleExit() {
        Task par = forker(3);
        if (par == null) return;
        long[] r = someMapping(par, true);
        if (r == null) return;
        String cn = fork(par);
        if (cn == null) return;
        Task c = sketch.get(cn);
        emit(new Op.Touch(cn, r[0], r[1], true));
        String gn = fork(c);
        if (gn == null) return;
        if (chance(50)) emit(new Op.Touch(gn, r[0], r[1], true));
        if (chance(40)) fork(c);
        emit(new Op.Exit(cn));
        Task g = sketch.get(gn);
        if (g == null) return;
        emit(new Op.Touch(gn, r[0], r[1], chance(70)));
        emit(new Op.Walk(par.name, r[0], r[1]));
        long[] part = partOfRun(g.mm);
        if (part != null && chance(50)) emit(new Op.Munmap(gn, part[0], part[1]));
        emit(new Op.Walk(gn, r[0], r[1]));
    }

    final void execAfterFork() {
        Task par = forker(1);
        if (par == null) return;
        long[] r = someMapping(par, true);
        String cn = fork(par);
        if (cn == null) return;
        if (r != null && chance(50)) emit(new Op.Touch(cn, r[0], r[1], true));
        emit(new Op.Exec(cn));
        Task c = sketch.get(cn);
        long[] m = mmap(c, 1 + rnd.nextInt(4), null, null);
        if (m != null) emit(new Op.Touch(cn, m[0], m[1], chance(70)));
        if (r != null) emit(new Op.Walk(par.name, r[0], r[1]));
    }

    /** A thread maps and writes; the thread or the main task exits; sometimes a fork in between. */
    final void threads() {
        if (sketch.count() >= p.maxTasks()) return;
        Task t = anyTask();
        String tn = fresh("T");
        if (!emit(new Op.Thread(t.name, tn))) return;
        Task th = sketch.get(tn);
        // half the time a thread stack as glibc maps it (MAP_STACK: VM_NOHUGEPAGE), usually beside a mapping
        long[] m = chance(50) ? mmap(th, 1 + rnd.nextInt(4), Prot.RW, MapKind.ANON, Set.of(MapFlag.STACK))
                : mmap(th, 1 + rnd.nextInt(4), Prot.RW, chance(70) ? MapKind.ANON : null);
        if (m != null) emit(new Op.Touch(tn, m[0], m[1], true));
        touch(t);
        if (chance(30)) fork(th);
        emit(new Op.Exit(chance(70) ? tn : t.name));
    }

    /** vfork, maybe an access by the child to the shared mm, then exec (and a new mapping) or exit. */
    final void vfork() {
        Task par = forker(1);
        if (par == null) return;
        String vn = fresh("V");
        if (!emit(new Op.Vfork(par.name, vn))) return;
        Task v = sketch.get(vn);
        if (chance(30)) touch(v);
        if (chance(60)) {
            emit(new Op.Exec(vn));
            long[] m = mmap(v, 1 + rnd.nextInt(4), null, null);
            if (m != null) emit(new Op.Touch(vn, m[0], m[1], true));
        } else {
            emit(new Op.Exit(vn));
        }
    }

    /** CoW writes in the parent and the child of parts of a written range, walks and a migration. */
    final void cowWrites() {
        Task par = forker(1);
        if (par == null) return;
        long[] r = someMapping(par, true);
        if (r == null) return;
        String cn = fork(par);
        if (cn == null) return;
        long a = r[0] + rnd.nextInt((int) r[1]);
        emit(new Op.Touch(cn, a, 1 + rnd.nextInt((int) (r[0] + r[1] - a)), true));
        a = r[0] + rnd.nextInt((int) r[1]);
        emit(new Op.Touch(par.name, a, 1 + rnd.nextInt((int) (r[0] + r[1] - a)), true));
        emit(new Op.Walk(par.name, r[0], r[1]));
        emit(new Op.Migrate(chance(50) ? cn : par.name, r[0], r[1]));
        emit(new Op.Walk(cn, r[0], r[1]));
    }

    /** A touch just below a stack's lowest page (expand_downwards when the guard gap allows). */
    final void stackBelow(Task t) {
        BitSet st = t.mm.stack;
        List<Integer> starts = new ArrayList<>();
        for (int i = st.nextSetBit(1); i >= 0; i = st.nextSetBit(i + 1)) if (!st.get(i - 1)) starts.add(i);
        Integer s = pick(starts);
        if (s == null) return;
        int k = Math.min(s, 1 + rnd.nextInt(3));
        emit(new Op.Touch(t.name, page(s - k), chance(50) ? k : 1, chance(60)));
    }

    /** A new stack with room below it, touched below, forked, and touched below again in the child. */
    final void stackGrowth() {
        Task t = anyTask();
        int len = 1 + rnd.nextInt(3), room = 1 + rnd.nextInt(4);
        long a = freePlace(t.mm, len + room, 30, 0, 0);
        if (a < 0) return;
        long s = a + room;
        if (!emit(new Op.Mmap(t.name, s, len, Prot.RW, MapKind.STACK))) return;
        emit(new Op.Touch(t.name, s, len, chance(60)));
        int k = 1 + rnd.nextInt(room);
        emit(new Op.Touch(t.name, s - k, 1, chance(60)));
        if (chance(50)) {
            String cn = fork(t);
            if (cn != null) {
                emit(new Op.Touch(cn, a, 1, true));
                emit(new Op.Walk(t.name, a, len + room));
            }
        }
    }

    /**
     * Mappings at adjacent addresses: equal ones merge; a written mapping then
     * a different neighbour that is written too (Linux reuses the neighbour's
     * anon_vma) and made equal by mprotect (a merge of two faulted VMAs).
     */
    final void adjacentMmaps() {
        Task t = anyTask();
        int l1 = 1 + rnd.nextInt(3), l2 = 1 + rnd.nextInt(3);
        long a = freePlace(t.mm, l1 + l2, 50, 0, 0);
        if (a < 0) return;
        boolean twoStep = chance(50);
        // mostly plain; sometimes MAP_NORESERVE or MAP_STACK on one or both, which decides the merges
        Set<MapFlag> f1 = chance(75) ? Set.of() : mapFlags(), f2 = chance(50) ? f1 : chance(75) ? Set.of() : mapFlags();
        if (!emit(new Op.Mmap(t.name, a, l1, Prot.RW, MapKind.ANON, f1))) return;
        if (chance(70)) emit(new Op.Touch(t.name, a, l1, true));
        Prot p2 = twoStep ? Prot.R : Prot.RW;
        if (!emit(new Op.Mmap(t.name, a + l1, l2, p2, MapKind.ANON, f2))) return;
        if (twoStep) {
            emit(new Op.Touch(t.name, a + l1, l2, false));
            emit(new Op.Mprotect(t.name, a + l1, l2, Prot.RW));
        }
        emit(new Op.Touch(t.name, a, l1 + l2, true));
        if (chance(40)) fork(t);
        if (chance(50)) emit(new Op.Mprotect(t.name, a + l1 - 1, 2, chance(50) ? Prot.R : Prot.RWX));
        emit(new Op.Walk(t.name, a, l1 + l2));
    }

    /** In-place growth and shrink, and a move that grows, of a written range. */
    final void mremapResize() {
        Task t = anyTask();
        if (someMapping(t, chance(60)) == null) return;
        long[] r = vmaRange(t.mm);
        if (r == null) return;
        long from = r[0], len = r[1];
        long grow = 1 + rnd.nextInt(3);
        if (emit(new Op.Mremap(t.name, from, len, from, len + grow))) {
            emit(new Op.Touch(t.name, from + len, grow, true));
            len += grow;
        }
        if (len > 1 && chance(60)) emit(new Op.Mremap(t.name, from, len, from, --len));
        long newLen = len + 1 + rnd.nextInt(2);
        long d = freePlace(t.mm, (int) newLen, 60, from, from + len);
        if (d >= 0) {
            emit(new Op.Mremap(t.name, from, len, d, newLen));
            emit(new Op.Touch(t.name, d, newLen, true));
            emit(new Op.Walk(t.name, d, newLen));
        }
    }

    /**
     * A part of a mapping moved out, written there (a CoW folio of a private
     * file mapping, or an anonymous one), maybe forked, and moved back into
     * its hole: the moved VMA, faulted now, merges with neighbours that may
     * be unfaulted (vma_merge_copied_range, the mremap merge cases of
     * mm/vma.c); the file kinds keep their pgoff so the merge can happen.
     */
    final void moveOutAndBack() {
        Task t = anyTask();
        int n = 3 + rnd.nextInt(4);
        long a = freePlace(t.mm, n, 30, 0, 0);
        if (a < 0) return;
        MapKind k = chance(50) ? MapKind.file(FILES[rnd.nextInt(FILES.length)], a - p.base()) : MapKind.ANON;
        if (!emit(new Op.Mmap(t.name, a, n, Prot.RW, k))) return;
        if (k == MapKind.ANON && chance(50)) emit(new Op.Touch(t.name, a, 1, true));
        int c = rnd.nextInt(3);
        long from = c == 0 ? a : c == 1 ? a + 1 : a + n - 1 - rnd.nextInt(2);
        long len = c == 1 ? 1 + rnd.nextInt(n - 2) : a + n - from;
        if (c == 0) len = 1 + rnd.nextInt(n - 1);
        long d = freePlace(t.mm, (int) len, 50, a, a + n);
        if (d < 0) return;
        if (!emit(new Op.Mremap(t.name, from, len, d, len))) return;
        if (chance(80)) emit(new Op.Touch(t.name, d, len, true));
        if (chance(30)) fork(t);
        emit(new Op.Mremap(t.name, d, len, from, len));
        if (chance(50)) emit(new Op.Touch(t.name, a, n, chance(50)));
        emit(new Op.Walk(t.name, a, n));
    }

    /** madvise that changes what fork copies, then a fork, writes and walks, then the advice undone. */
    final void forkAdvice() {
        Task par = forker(1);
        if (par == null) return;
        if (someMapping(par, true) == null) return;
        long[] r = mappedRange(par.mm);
        Advice adv = chance(50) ? Advice.DONTFORK : Advice.WIPEONFORK;
        emit(new Op.Madvise(par.name, r[0], r[1], adv));
        String cn = fork(par);
        if (cn == null) return;
        emit(new Op.Touch(cn, r[0], r[1], true));
        emit(new Op.Walk(par.name, r[0], r[1]));
        emit(new Op.Madvise(par.name, r[0], r[1], adv == Advice.DONTFORK ? Advice.DOFORK : Advice.KEEPONFORK));
        if (chance(50)) emit(new Op.Madvise(cn, r[0], r[1], Advice.DONTNEED));
    }

    /** Migration of folios shared by a parent and its children, then walks from each. */
    final void migrateShared() {
        Task par = forker(2);
        if (par == null) return;
        long[] r = someMapping(par, true);
        if (r == null) return;
        String c1 = fork(par);
        String c2 = chance(50) ? fork(par) : null;
        if (c1 == null) return;
        if (chance(50)) emit(new Op.Touch(c1, r[0], 1, true));
        emit(new Op.Migrate(chance(50) ? c1 : par.name, r[0], r[1]));
        emit(new Op.Walk(par.name, r[0], r[1]));
        if (c2 != null) emit(new Op.Walk(c2, r[0], r[1]));
    }
}
