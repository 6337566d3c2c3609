package rmaplab.design.pv;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import rmaplab.ledger.LockLedger;
import rmaplab.sim.DesignContext;
import rmaplab.sim.Mm;
import rmaplab.sim.PerFolio;
import rmaplab.sim.RmapDesign;
import rmaplab.sim.Vma;
import rmaplab.sim.WalkSink;

/**
 * One reverse entry per mapping, as in the BSD pmap pv lists: each folio
 * keeps a list of (address space, virtual page) pairs, one 24-byte
 * {@code pv_entry} each (a list link, the pmap and the address), guarded by
 * the folio's own pv lock. Its walk visits exactly the mappings: the lower
 * bound on walk visits. It keeps no per-VMA state and never refuses a merge,
 * so every other hook keeps its default. In concurrent runs (rmaplab.race)
 * the pv lock is not a step hook: BSD's walk takes the pmap lock by trylock
 * and retry under the pv list lock, which is not modelled (docs/races.md).
 */
public final class PvDesign implements RmapDesign {
    static final String PV_ENTRY = "pv_entry", LOCK = "pv_list";
    static final long PV_ENTRY_BYTES = 24;

    private final DesignContext ctx;
    /** The folio's pv list: (mm id, virtual page) pairs, two longs each. */
    private final PerFolio<LongArrayList> pv = new PerFolio<>();

    public PvDesign(DesignContext ctx) {
        this.ctx = ctx;
        ctx.ledgers().objects.declare(PV_ENTRY);
    }

    @Override public void newAnonFolio(int folio, Vma vma, long vpage, boolean exclusive) {
        pv.set(folio, new LongArrayList(2));
        ctx.folios().index[folio] = vpage;
    }

    @Override public void folioMigrated(int oldFolio, int newFolio) { pv.set(newFolio, new LongArrayList(pv.get(oldFolio).size())); }

    @Override public void pteMapped(int folio, Vma vma, long vpage) {
        ctx.ledgers().locks().acquire(LOCK, folio, LockLedger.Mode.WRITE);
        pv.get(folio).add(vma.mm().id());
        pv.get(folio).add(vpage);
        ctx.ledgers().objects.alloc(PV_ENTRY, PV_ENTRY_BYTES);
    }

    @Override public void pteUnmapped(int folio, Vma vma, long vpage) {
        ctx.ledgers().locks().acquire(LOCK, folio, LockLedger.Mode.WRITE);
        LongArrayList l = pv.get(folio);
        int i = 0;
        while (i < l.size() && (l.getLong(i) != vma.mm().id() || l.getLong(i + 1) != vpage)) i += 2;
        if (i == l.size()) throw new IllegalStateException("pv: no entry for " + vma + " page " + Long.toHexString(vpage));
        l.removeElements(i, i + 2);
        ctx.ledgers().objects.free(PV_ENTRY, PV_ENTRY_BYTES);
    }

    @Override public void walk(int folio, WalkSink sink) {
        ctx.ledgers().locks().acquire(LOCK, folio, LockLedger.Mode.READ);
        LongArrayList l = pv.get(folio);
        for (int i = 0; i < l.size(); i += 2) {
            Mm mm = ctx.machine().mm((int) l.getLong(i));
            sink.steps(1);
            sink.entered(1); // the entry's mm, whose VMA tree is searched by address
            Vma vma = mm.find(l.getLong(i + 1));
            if (vma != null && !sink.visit(vma, l.getLong(i + 1))) return; // a stale entry names no VMA: skipped
        }
    }
}
