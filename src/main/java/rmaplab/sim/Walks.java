package rmaplab.sim;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.ArrayList;
import java.util.List;
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

    private LongOpenHashSet spareSeen;

    /** The walk op: one walk of each anonymous folio mapped in the range, of the op's kind. */
    void walkRange(Mm mm, long start, long end, WalkKind kind) {
        long[] e = mm.pt.snapshot(start, end);
        for (int i = 0; i < e.length; i += 2) if (Pte.isAnon(e[i + 1])) walk(Pte.id(e[i + 1]), null, kind);
    }

    /**
     * One reverse walk of a folio: the design reports where it looks; the page
     * tables say which of those places really map the folio. A reclaim walk
     * stops once every mapping was found, as folio_referenced and try_to_unmap
     * do; a full walk is never told to stop (the sink's visit returns true).
     * Hits go to {@code found} as (mm id, vpage) pairs when it is not null.
     */
    WalkResult walk(int folio, List<long[]> found, WalkKind kind) {
        final boolean full = kind == WalkKind.FULL;
        final int mapcount = m.folios.mapcount(folio);
        // the set of hits is kept for the next walk (a walk inside a walk makes its own); one that grew past a
        // few dozen hits is dropped rather than cleared, so that clearing stays cheap
        final LongOpenHashSet seen = spareSeen != null ? spareSeen : new LongOpenHashSet();
        spareSeen = null;
        final int[] counts = new int[3]; // visits, hits, phantoms
        final long[] steps = {0};
        final int[] entered = {0};
        final String[] firstPhantom = {null};
        WalkSink sink = new WalkSink() {
            @Override public boolean visit(Vma vma, long vpage) {
                counts[0]++;
                if (!vma.alive || vpage < vma.start || vpage >= vma.end) {
                    counts[2]++;
                    if (firstPhantom[0] == null)
                        firstPhantom[0] = (vma.alive ? "page 0x" + Long.toHexString(vpage) + " outside " : "freed ") + vma;
                    return full || counts[1] < mapcount;
                }
                long pte = vma.mm.pt.get(vpage);
                if (Pte.isAnon(pte) && Pte.id(pte) == folio && firstHit(seen, vma.mm.id, vpage)) {
                    counts[1]++;
                    if (found != null) found.add(new long[] {vma.mm.id, vpage});
                }
                return full || counts[1] < mapcount;
            }

            @Override public void steps(long n) { steps[0] += n; }

            @Override public void entered(int n) { entered[0] += n; }
        };
        m.design.walk(folio, sink);
        if (seen.size() <= 64) {
            seen.clear();
            spareSeen = seen;
        }
        WalkResult r = new WalkResult(folio, mapcount, counts[0], counts[1], steps[0], entered[0], counts[2],
                firstPhantom[0]);
        if (!m.ledgers.muted()) m.ledgers.walks.record(r.visits(), r.hits(), r.steps(), r.entered(), r.missed(), r.phantoms());
        if (m.observer != null) m.observer.walked(r);
        return r;
    }

    /**
     * migrate_pages for each anonymous folio mapped in the range: walk, then
     * move every mapping the walk found to a new folio. Mappings the walk
     * missed keep the old folio (a stale PTE: the oracle reports the miss).
     */
    void migrateRange(Mm mm, long start, long end) {
        long[] e = mm.pt.snapshot(start, end);
        for (int i = 0; i < e.length; i += 2) {
            long pte = e[i + 1];
            if (!Pte.isAnon(pte)) continue;
            int old = Pte.id(pte);
            if (!m.folios.live(old) || mm.pt.get(e[i]) != pte) continue;
            List<long[]> found = new ArrayList<>();
            walk(old, found, WalkKind.RECLAIM); // try_to_migrate: rwc->done = folio_not_mapped
            if (found.isEmpty()) continue;
            int nf = m.folios.alloc();
            m.folios.exclusive(nf, m.folios.exclusive(old));
            m.folios.index[nf] = m.folios.index[old]; // folio_migrate_mapping copies folio->index
            m.design.folioMigrated(old, nf);
            for (long[] hit : found) {
                Mm hm = m.mm((int) hit[0]);
                long vp = hit[1];
                long p = hm.pt.get(vp);
                Vma v = hm.find(vp);
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

}
