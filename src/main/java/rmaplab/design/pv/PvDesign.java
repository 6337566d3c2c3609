package rmaplab.design.pv;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import rmaplab.ledger.LockLedger;
import rmaplab.rmap.AnonMerge;
import rmaplab.rmap.DesignContext;
import rmaplab.rmap.RmapDesign;
import rmaplab.rmap.WalkSink;
import rmaplab.sim.Mm;
import rmaplab.sim.Vma;

/**
 * One reverse entry per mapping, as in the BSD pmap pv lists: each folio
 * keeps a list of (address space, virtual page) pairs, one 24-byte
 * {@code pv_entry} each (a list link, the pmap and the address). Its walk
 * visits exactly the mappings, so it is the lower bound on walk visits; it
 * keeps no per-VMA state and never refuses a merge.
 *
 * <p>The folio's list is kept in {@code folio->mapping}. Each list is guarded
 * by the folio's own pv lock (BSD's pv list lock per page).
 */
public final class PvDesign implements RmapDesign {
    static final String PV_ENTRY = "pv_entry";
    static final long PV_ENTRY_BYTES = 24;
    static final String LOCK = "pv_list";

    private final DesignContext ctx;

    public PvDesign(DesignContext ctx) {
        this.ctx = ctx;
        ctx.ledgers().objects.declare(PV_ENTRY);
    }

    @Override public long vmaBytes() { return ctx.sizes().vmAreaStruct(); }

    @Override public void forkVma(Vma parent, Vma child) { }

    @Override public void anonPrepare(Vma vma) { }

    @Override public void newAnonFolio(int folio, Vma vma, long vpage, boolean exclusive) {
        ctx.folios().mapping[folio] = new LongArrayList(1);
        ctx.folios().index[folio] = vpage;
    }

    @Override public void reuseAnonFolio(int folio, Vma vma, long vpage) { }

    private static long key(Mm mm, long vpage) { return ((long) mm.id() << 40) | vpage; }

    private LongArrayList list(int folio) { return (LongArrayList) ctx.folios().mapping[folio]; }

    @Override public void pteMapped(int folio, Vma vma, long vpage) {
        ctx.ledgers().locks().acquire(LOCK, folio, LockLedger.Mode.WRITE);
        list(folio).add(key(vma.mm(), vpage));
        ctx.ledgers().objects.alloc(PV_ENTRY, PV_ENTRY_BYTES);
    }

    @Override public void pteUnmapped(int folio, Vma vma, long vpage) {
        ctx.ledgers().locks().acquire(LOCK, folio, LockLedger.Mode.WRITE);
        LongArrayList l = list(folio);
        int i = l.indexOf(key(vma.mm(), vpage));
        if (i < 0) throw new IllegalStateException("pv: no entry for " + vma + " page " + Long.toHexString(vpage));
        l.removeLong(i);
        ctx.ledgers().objects.free(PV_ENTRY, PV_ENTRY_BYTES);
    }

    @Override public void folioMigrated(int oldFolio, int newFolio) {
        ctx.folios().mapping[newFolio] = new LongArrayList(list(oldFolio).size());
        ctx.folios().index[newFolio] = ctx.folios().index[oldFolio];
    }

    @Override public boolean isMergeableAnon(AnonMerge q) { return true; }

    @Override public boolean isMergeableAnonBoth(Vma prev, Vma next) { return true; }

    @Override public void vmaSplit(Vma orig, Vma created) { }

    @Override public void vmaDupAnon(Vma dst, Vma src) { }

    @Override public void vmaAdjusted(Vma vma, long oldStart, long oldEnd, long oldPgoff) { }

    @Override public void vmaCopied(Vma src, Vma copy) { }

    @Override public void vmaRemoved(Vma vma) { }

    @Override public void walk(int folio, WalkSink sink) {
        ctx.ledgers().locks().acquire(LOCK, folio, LockLedger.Mode.READ);
        LongArrayList l = list(folio);
        var mms = ctx.machine().mms();
        for (int i = 0; i < l.size(); i++) {
            long k = l.getLong(i);
            Mm mm = mms.get((int) (k >>> 40) - 1);
            long vpage = k & ((1L << 40) - 1);
            sink.steps(1);
            Vma vma = mm.find(vpage);
            if (vma == null) continue; // a stale entry: the walk cannot even name a VMA
            if (!sink.visit(vma, vpage)) return;
        }
    }
}
