package rmaplab.gen;

import java.util.ArrayList;
import java.util.List;
import rmaplab.gen.Sketch.Task;
import rmaplab.workload.Op;

/**
 * The random generator's steps: each {@link #step} emits a few ops through
 * the sketch: the first process, the exit of an old task when the task bound
 * is near, a single op on a random task, or one of the {@link Interleavings}.
 */
final class Steps extends Interleavings {
    Steps(RandomOps.Params p, Sketch sketch) { super(p, sketch); }

    private void mremap(Task t) {
        MmSketch s = t.mm;
        int c = rnd.nextInt(10);
        if (c < 2) { // shrink in place
            long[] r = moveSource(s);
            if (r[1] < 2) return;
            emit(new Op.Mremap(t.name, r[0], r[1], r[0], 1 + rnd.nextInt((int) r[1] - 1)));
        } else if (c < 4) { // grow in place: a range ending where a VMA ends
            long[] r = vmaRange(s);
            if (r == null) return;
            int e = idx(r[0] + r[1]);
            int ne = s.edges.nextSetBit(e); // the VMA may go on past the sure pages: up to the next edge
            if (ne > e && s.maybe.nextClearBit(e) >= ne) e = ne;
            long len = page(e) - r[0];
            emit(new Op.Mremap(t.name, r[0], len, r[0], len + 1 + rnd.nextInt(4)));
        } else { // move, maybe resizing
            long[] r = moveSource(s);
            long newLen = chance(70) ? r[1] : Math.max(1, r[1] + rnd.nextInt(5) - 2);
            long d = chance(80) ? freePlace(s, (int) newLen, 70, r[0], r[0] + r[1]) : -1;
            if (d < 0 && newLen < p.pages()) // over whatever is there (MREMAP_FIXED unmaps it)
                d = page(rnd.nextInt(p.pages() - (int) newLen + 1));
            if (d < 0) return;
            emit(new Op.Mremap(t.name, r[0], r[1], d, newLen));
        }
    }

    private void single() {
        Task t = anyTask();
        int c = rnd.nextInt(100);
        if (c < 11) mmap(t, 1 + rnd.nextInt(8), null, null);
        else if (c < 14) mmapFixed(t);
        else if (c < 20) {
            long[] r = mappedRange(t.mm);
            emit(new Op.Munmap(t.name, r[0], r[1]));
        } else if (c < 26) {
            long[] r = mappedRange(t.mm);
            emit(new Op.Mprotect(t.name, r[0], r[1], prot()));
        } else if (c < 34) mremap(t);
        else if (c < 39) {
            long[] r = mappedRange(t.mm);
            emit(new Op.Madvise(t.name, r[0], r[1], advice()));
        } else if (c < 62) touch(t);
        else if (c < 67) {
            long[] r = mappedRange(t.mm);
            emit(new Op.Walk(t.name, r[0], r[1]));
        } else if (c < 71) {
            long[] r = mappedRange(t.mm);
            emit(new Op.Migrate(t.name, r[0], r[1]));
        } else if (c < 80) {
            Task f = forker(1);
            if (f != null) emit(new Op.Fork(f.name, fresh("C")));
        } else if (c < 83) emit(new Op.Thread(t.name, fresh("T")));
        else if (c < 85) emit(new Op.Exec(t.name));
        else if (c < 91) emit(new Op.Exit(t.name));
        else if (c < 93) emit(new Op.NoFork(t.name));
        else if (c < 95) spawn();
        else if (c < 97) vfork();
        else stackBelow(t);
    }

    private void spawn() {
        String n = fresh("P");
        if (!emit(new Op.Spawn(n))) return;
        Task t = sketch.get(n);
        for (int i = rnd.nextInt(3); i >= 0; i--) mmap(t, 1 + rnd.nextInt(6), null, null);
    }

    /** Exit one of the older tasks (live tasks are kept in creation order). */
    private void exitOld() {
        List<Task> l = new ArrayList<>(sketch.live());
        Task t = l.get(rnd.nextInt((l.size() + 1) / 2));
        emit(new Op.Exit(t.name));
    }

    /** Emits the next few ops (one at least, unless every op it tried was refused). */
    void step() {
        if (sketch.count() == 0) {
            spawn();
            return;
        }
        if (sketch.count() >= p.maxTasks() - 1 && chance(60)) {
            exitOld();
            return;
        }
        if (chance(55)) {
            single();
            return;
        }
        switch (rnd.nextInt(15)) {
            case 0 -> forkThenPartialMunmap();
            case 1 -> mremapShared();
            case 2 -> mprotectSplitRemerge();
            case 3 -> chainMiddleExit();
            case 4 -> execAfterFork();
            case 5 -> threads();
            case 6 -> vfork();
            case 7 -> cowWrites();
            case 8 -> stackGrowth();
            case 9 -> adjacentMmaps();
            case 10 -> mremapResize();
            case 11 -> forkAdvice();
            case 12 -> moveOutAndBack();
            case 13 -> reserveCommit();
            default -> migrateShared();
        }
    }
}
