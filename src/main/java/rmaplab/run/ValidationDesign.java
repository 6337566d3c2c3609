package rmaplab.run;

import rmaplab.rmap.AnonMerge;
import rmaplab.rmap.DesignContext;
import rmaplab.rmap.RmapDesign;
import rmaplab.rmap.WalkSink;
import rmaplab.sim.Vma;

/**
 * The design of the runner's first pass, which only checks that a workload
 * can run (the address space decides that, not the rmap). It keeps no state
 * at all, so that the first pass costs little memory on huge workloads; its
 * walks find nothing and are not checked.
 */
public final class ValidationDesign implements RmapDesign {
    private final DesignContext ctx;

    public ValidationDesign(DesignContext ctx) { this.ctx = ctx; }

    @Override public long vmaBytes() { return ctx.sizes().vmAreaStruct(); }
    @Override public void forkVma(Vma parent, Vma child) { }
    @Override public void anonPrepare(Vma vma) { }
    @Override public void newAnonFolio(int folio, Vma vma, long vpage, boolean exclusive) { }
    @Override public void reuseAnonFolio(int folio, Vma vma, long vpage) { }
    @Override public void folioMigrated(int oldFolio, int newFolio) { }
    @Override public boolean isMergeableAnon(AnonMerge q) { return true; }
    @Override public boolean isMergeableAnonBoth(Vma prev, Vma next) { return true; }
    @Override public void vmaSplit(Vma orig, Vma created) { }
    @Override public void vmaDupAnon(Vma dst, Vma src) { }
    @Override public void vmaAdjusted(Vma vma, long oldStart, long oldEnd, long oldPgoff) { }
    @Override public void vmaCopied(Vma src, Vma copy) { }
    @Override public void vmaRemoved(Vma vma) { }
    @Override public void walk(int folio, WalkSink sink) { }
}
