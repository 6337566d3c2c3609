package rmaplab.sim;

import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import rmaplab.design.pv.PvDesign;
import rmaplab.sim.AnonMerge;
import rmaplab.sim.DesignContext;
import rmaplab.sim.RmapDesign;
import rmaplab.sim.WalkSink;

/**
 * Invariants of the simulated kernel that hold in Linux whatever the rmap
 * design, checked from the outside after an op. The oracle checks walks
 * against the page tables; these check that the page tables and VMAs
 * themselves are what Linux would allow, which is what the designs other
 * than pv rely on (an anon_vma walk finds a folio at
 * vma_address(vma, folio->index), so that must be where the PTE is).
 *
 * <p>Used with {@link IndexRecorder}, which wraps a design and records the
 * folio->index Linux gives every anonymous folio (linear_page_index of the
 * faulting VMA and address, kept through migration).
 */
final class KernelInvariants {
    private KernelInvariants() {}

    /** Returns a description of the first broken invariant ("[tag] what"), or null. */
    static String check(Machine m, IndexRecorder idx) {
        List<String> out = new ArrayList<>();
        check(m, idx, out);
        return out.isEmpty() ? null : out.get(0);
    }

    /** The tag of a description from {@link #check}: which invariant broke. */
    static String tag(String description) {
        return description == null ? null : description.substring(0, description.indexOf(']') + 1);
    }

    private static void check(Machine m, IndexRecorder idx, List<String> bad) {
        Int2IntOpenHashMap fileMaps = new Int2IntOpenHashMap();
        long vmas = 0;
        Map<Mm, Integer> users = new HashMap<>();
        for (Task t : m.tasks().values()) users.merge(t.mm, 1, Integer::sum);
        for (Mm mm : m.mms()) {
            if (!mm.alive) {
                if (!mm.vmas.isEmpty() || mm.pt.present() != 0) bad.add("[dead-mm] " + mm + " is dead but has VMAs or PTEs");
                continue;
            }
            if (mm.users != users.getOrDefault(mm, 0))
                bad.add("[users] " + mm + ": users " + mm.users + " but " + users.getOrDefault(mm, 0) + " live tasks use it");
            Vma prev = null;
            for (var e : mm.vmas.entrySet()) {
                Vma v = e.getValue();
                vmas++;
                if (e.getKey() != v.start || v.start >= v.end || !v.alive || v.mm != mm)
                    bad.add("[malformed-vma] " + mm + ": malformed " + v);
                if (prev != null && prev.end > v.start) bad.add("[overlap] " + mm + ": " + prev + " overlaps " + v);
                if (v.shared() && v.anonPrepared) bad.add("[shared-anon-state] " + mm + ": shared " + v + " has anonymous state");
                prev = v;
            }
            mm.pt.forEach(0, Long.MAX_VALUE, (vp, pte) -> {
                String at = mm + " page 0x" + Long.toHexString(vp);
                Vma v = mm.find(vp);
                if (v == null) {
                    bad.add("[pte-outside-vma] " + at + ": a PTE outside every VMA");
                    return;
                }
                if (Pte.writable(pte) && (v.flags & VmFlags.VM_WRITE) == 0) bad.add("[writable-pte-readonly-vma] " + at + ": writable PTE in " + v);
                switch (Pte.type(pte)) {
                    case Pte.ANON -> {
                        int f = Pte.id(pte);
                        if (!m.folios().live(f)) bad.add("[freed-folio] " + at + ": maps freed folio " + f);
                        if (v.shared()) bad.add("[anon-in-shared] " + at + ": anonymous folio in shared " + v);
                        if (!v.anonPrepared) bad.add("[anon-unprepared] " + at + ": anonymous folio " + f + " in " + v + " without anon state");
                        if (idx != null && idx.has(f) && v.linearPageIndex(vp) != idx.index(f))
                            bad.add("[index] " + at + ": folio " + f + " has index 0x" + Long.toHexString(idx.index(f)) + " but "
                                    + v + " puts index 0x" + Long.toHexString(v.linearPageIndex(vp)) + " there");
                        if (Pte.writable(pte) && (!m.folios().exclusive(f) || m.folios().mapcount(f) != 1))
                            bad.add("[writable-shared-folio] " + at + ": writable PTE of folio " + f + " that is not exclusive (mapcount "
                                    + m.folios().mapcount(f) + ")");
                    }
                    case Pte.FILE -> {
                        int page = Pte.id(pte);
                        fileMaps.addTo(page, 1);
                        if (v.file == null) bad.add("[file-page-in-anon] " + at + ": page-cache page in anonymous " + v);
                        else if (m.pageCache().page(v.file, v.linearPageIndex(vp)) != page)
                            bad.add("[file-pgoff] " + at + ": page-cache page " + page + " is not page 0x"
                                    + Long.toHexString(v.linearPageIndex(vp)) + " of " + v.file + " (" + v + ")");
                        if (!v.shared() && Pte.writable(pte)) bad.add("[writable-private-file] " + at + ": writable page-cache PTE in private " + v);
                    }
                    default -> {
                        if (v.file != null || v.shared()) bad.add("[zero-page-in-file] " + at + ": zero page in " + v);
                        if (Pte.writable(pte)) bad.add("[writable-zero] " + at + ": writable zero page");
                    }
                }
            });
        }
        if (vmas != m.liveVmas()) bad.add("[live-vmas] " + "liveVmas " + m.liveVmas() + " but the live mms hold " + vmas);
        for (int f : m.liveFolios())
            if (m.folios().exclusive(f) && m.folios().mapcount(f) != 1)
                bad.add("[exclusive-mapcount] " + "folio " + f + " is exclusive with mapcount " + m.folios().mapcount(f));
        for (int page = 1; page <= m.pageCache().pages(); page++)
            if (m.pageCache().mapcount(page) != fileMaps.get(page))
                bad.add("[file-mapcount] " + "page-cache page " + page + ": mapcount " + m.pageCache().mapcount(page) + " but "
                        + fileMaps.get(page) + " PTEs");
    }

    /**
     * A design wrapped to record folio->index as Linux sets it
     * (folio_add_new_anon_rmap: linear_page_index of the faulting VMA and
     * address; migration keeps it). Everything else goes to the design.
     */
    static final class IndexRecorder implements RmapDesign {
        private final RmapDesign d;
        private final Int2LongOpenHashMap index = new Int2LongOpenHashMap();

        IndexRecorder(RmapDesign design) { d = design; }

        /** pv, wrapped. */
        IndexRecorder(DesignContext ctx) { this(new PvDesign(ctx)); }

        boolean has(int f) { return index.containsKey(f); }

        long index(int f) { return index.get(f); }

        @Override public long vmaGrowthBytes() { return d.vmaGrowthBytes(); }
        @Override public void vmaPrepare(VmaChange c) { d.vmaPrepare(c); }
        @Override public void vmaComplete(VmaChange c) { d.vmaComplete(c); }
        @Override public void mmCreated(Mm mm) { d.mmCreated(mm); }
        @Override public void mmDestroyed(Mm mm) { d.mmDestroyed(mm); }
        @Override public void forkStart(Mm parent, Mm child) { d.forkStart(parent, child); }
        @Override public void forkVma(Vma parent, Vma child) { d.forkVma(parent, child); }
        @Override public void forkEnd(Mm parent, Mm child) { d.forkEnd(parent, child); }
        @Override public void noFork(Process p) { d.noFork(p); }
        @Override public void anonPrepare(Vma vma) { d.anonPrepare(vma); }

        @Override public void newAnonFolio(int folio, Vma vma, long vpage, boolean exclusive) {
            index.put(folio, vma.linearPageIndex(vpage));
            d.newAnonFolio(folio, vma, vpage, exclusive);
        }

        @Override public void reuseAnonFolio(int folio, Vma vma, long vpage) { d.reuseAnonFolio(folio, vma, vpage); }
        @Override public void pteMapped(int folio, Vma vma, long vpage) { d.pteMapped(folio, vma, vpage); }
        @Override public void pteUnmapped(int folio, Vma vma, long vpage) { d.pteUnmapped(folio, vma, vpage); }

        @Override public void folioFreed(int folio) {
            index.remove(folio);
            d.folioFreed(folio);
        }

        @Override public void folioMigrated(int oldFolio, int newFolio) {
            index.put(newFolio, index.get(oldFolio));
            d.folioMigrated(oldFolio, newFolio);
        }

        @Override public boolean isMergeableAnon(AnonMerge q) { return d.isMergeableAnon(q); }
        @Override public boolean isMergeableAnonBoth(Vma prev, Vma next) { return d.isMergeableAnonBoth(prev, next); }
        @Override public void walk(int folio, WalkSink sink) { d.walk(folio, sink); }
    }
}
