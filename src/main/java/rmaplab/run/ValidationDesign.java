package rmaplab.run;

import rmaplab.sim.DesignContext;
import rmaplab.sim.RmapDesign;
import rmaplab.sim.WalkSink;

/**
 * The design of the runner's first pass, which only checks that a workload
 * can run (the address space decides that, not the rmap). It keeps no state
 * at all, so that the first pass costs little memory on huge workloads; its
 * walks find nothing and are not checked.
 */
public final class ValidationDesign implements RmapDesign {
    public ValidationDesign(DesignContext ctx) { }

    @Override public void walk(int folio, WalkSink sink) { }
}
