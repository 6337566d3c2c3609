package rmaplab.sim;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.ArrayList;
import java.util.List;
import rmaplab.steps.LockClass;
import rmaplab.steps.StepObserver;
import rmaplab.steps.Steps;
import rmaplab.workload.WalkKind;

/**
 * Reverse walks (rmap_walk, as folio_referenced and try_to_unmap drive it) and
 * migration (mm/migrate.c migrate_pages).
 */
final class Walks {
    private final Machine m;

    Walks(Machine m) { this.m = m; }

    /**
     * Records a hit at (mm, vpage); false when it was found before. The key
     * packs both exactly: a virtual page has at most 44 bits (the reader
     * refuses addresses past 5-level paging's TASK_SIZE) and an mm id is
     * below 2^19 in every workload this machine can hold; a larger id fails
     * loudly rather than merge two hits.
     */
    private static boolean firstHit(LongOpenHashSet seen, int mmId, long vpage) {
        if (mmId >= (1 << 19) || vpage >>> 44 != 0)
            throw new IllegalStateException("walk hit key out of range: mm " + mmId + " page 0x" + Long.toHexString(vpage));
        return seen.add(((long) mmId << 44) | vpage);
    }

    /** The walk op: one walk of each anonymous folio mapped in the range, of the op's kind. */
    void walkRange(Mm mm, long start, long end, WalkKind kind) {
        long[] e = mm.pt.snapshot(start, end);
        for (int i = 0; i < e.length; i += 2) {
            if (!Pte.isAnon(e[i + 1])) continue;
            int f = Pte.id(e[i + 1]);
            boolean pin = Steps.active(); // a concurrent run: reclaim holds a reference on the folio it walks
            if (pin) m.folios.pin(f);
            Steps.lock(LockClass.FOLIO_LOCK, f, StepObserver.Mode.WRITE, "folio_lock"); // as try_to_unmap's caller does
            if (m.folios.live(f)) walk(f, null, kind);
            Steps.unlock(LockClass.FOLIO_LOCK, f, "folio_unlock");
            if (pin) m.folios.unpin(f);
        }
    }

    /**
     * One reverse walk of a folio: the design reports where it looks; the page
     * tables say which of those places really map the folio. A reclaim walk
     * stops once every mapping was found, as folio_referenced and try_to_unmap
     * do; a full walk is never told to stop (the sink's visit returns true).
     * Hits go to {@code found} as (mm id, vpage) pairs when it is not null.
     */
    WalkResult walk(int folio, List<long[]> found, WalkKind kind) { return walk(folio, found, kind, false); }

    /**
     * The walk; {@code sleeps}: its rmap_one may sleep (try_to_migrate_one calls
     * mmu_notifier_invalidate_range_start, which may sleep), a concurrent run's step hook.
     */
    private WalkResult walk(int folio, List<long[]> found, WalkKind kind, boolean sleeps) {
        // a concurrent run walks every VMA: the early stop counts against a mapcount read once, at the start
        final boolean full = kind == WalkKind.FULL || Steps.active();
        final int mapcount = m.folios.mapcount(folio);
        final LongOpenHashSet seen = new LongOpenHashSet();
        final int[] counts = new int[3]; // visits, hits, phantoms
        final long[] steps = {0};
        final int[] entered = {0};
        final String[] firstPhantom = {null};
        WalkSink sink = new WalkSink() {
            @Override public boolean visit(Vma vma, long vpage) {
                counts[0]++;
                // the design hands rmap_one a VMA it must keep valid (a lock, a reference) until rmap_one ends
                if (!vma.alive) Steps.lifetime("freed " + vma + " handed to rmap_one", "rmap_one");
                if (sleeps) Steps.maySleep("try_to_migrate_one: mmu_notifier_invalidate_range_start");
                if (!vma.alive || vpage < vma.start || vpage >= vma.end) {
                    counts[2]++;
                    if (firstPhantom[0] == null)
                        firstPhantom[0] = (vma.alive ? "page 0x" + Long.toHexString(vpage) + " outside " : "freed ") + vma;
                    return full || counts[1] < mapcount;
                }
                Steps.lock(LockClass.PTL, vma.mm.id, StepObserver.Mode.WRITE, "page_vma_mapped_walk");
                long pte = vma.mm.pt.get(vpage);
                if (Pte.isAnon(pte) && Pte.id(pte) == folio && firstHit(seen, vma.mm.id, vpage)) {
                    counts[1]++;
                    Steps.walkHit(vma.mm.id, vpage); // the oracle under concurrency (rmaplab.race)
                    if (found != null) found.add(new long[] {vma.mm.id, vpage});
                }
                Steps.unlock(LockClass.PTL, vma.mm.id, "page_vma_mapped_walk");
                return full || counts[1] < mapcount;
            }

            @Override public void steps(long n) { steps[0] += n; }

            @Override public void entered(int n) { entered[0] += n; }
        };
        Steps.walkBegin(folio);
        m.design.walk(folio, sink);
        Steps.walkEnd(folio);
        WalkResult r = new WalkResult(folio, mapcount, counts[0], counts[1], steps[0], entered[0], counts[2],
                firstPhantom[0]);
        if (!m.ledgers.muted()) m.ledgers.walks.record(r.visits(), r.hits(), r.steps(), r.entered(), r.missed(), r.phantoms());
        if (m.observer != null) m.observer.walked(r);
        return r;
    }

    /**
     * migrate_pages for each anonymous folio mapped in the range, under the
     * folio lock: try_to_migrate walks and unmaps, then the new folio is
     * mapped wherever the old one still is. Mappings the walk missed keep the
     * old folio (a stale PTE: the oracle reports the miss). Sequentially the
     * second phase is the first walk's hits; under a scheduler (rmaplab.race)
     * the two phases are two walks with a step between, as in the kernel
     * (try_to_migrate, then remove_migration_ptes, which walks again): the
     * model keeps the old folio's PTE where the kernel has a migration entry.
     */
    void migrateRange(Mm mm, long start, long end) {
        long[] e = mm.pt.snapshot(start, end);
        for (int i = 0; i < e.length; i += 2) {
            long pte = e[i + 1];
            if (!Pte.isAnon(pte)) continue;
            int old = Pte.id(pte);
            if (!m.folios.live(old) || mm.pt.get(e[i]) != pte) continue;
            boolean pin = Steps.active(); // a concurrent run: migration holds a reference on the folio
            if (pin) m.folios.pin(old);
            Steps.lock(LockClass.FOLIO_LOCK, old, StepObserver.Mode.WRITE, "migrate_folio_unmap: folio_lock");
            m.design.migrationStart(old); // folio_get_anon_vma
            List<long[]> found = new ArrayList<>();
            walk(old, found, WalkKind.RECLAIM, true); // try_to_migrate: rwc->done = folio_not_mapped
            if (!found.isEmpty() && Steps.active()) {
                Steps.step("migrate_folio_move: copy the folio");
                found.clear();
                if (m.folios.live(old)) walk(old, found, WalkKind.FULL); // remove_migration_ptes
            }
            if (!found.isEmpty()) moveMappings(old, found);
            m.design.migrationEnd(old); // put_anon_vma
            Steps.unlock(LockClass.FOLIO_LOCK, old, "migrate_folio_move: folio_unlock");
            if (pin) m.folios.unpin(old);
        }
    }

    /** A new folio takes the old one's place at every mapping found. */
    private void moveMappings(int old, List<long[]> found) {
        int nf = m.folios.alloc();
        m.folios.exclusive(nf, m.folios.exclusive(old));
        m.folios.index[nf] = m.folios.index[old]; // folio_migrate_mapping copies folio->index
        m.design.folioMigrated(old, nf);
        for (long[] hit : found) {
            Mm hm = m.mm((int) hit[0]);
            long vp = hit[1];
            long p = hm.pt.get(vp);
            Vma v = hm.find(vp);
            if (!Pte.isAnon(p) || Pte.id(p) != old || v == null) continue; // changed since the walk (concurrent runs only)
            hm.pt.set(vp, Pte.anon(nf, Pte.writable(p)));
            m.folios.mapcount(old, m.folios.mapcount(old) - 1);
            m.folios.mapcount(nf, m.folios.mapcount(nf) + 1);
            m.design.pteUnmapped(old, v, vp);
            m.design.pteMapped(nf, v, vp);
        }
        if (m.folios.mapcount(old) == 0) {
            m.design.folioFreed(old);
            m.folios.release(old);
        }
    }

}
