package rmaplab.rmap;

import java.util.function.Function;
import rmaplab.sim.DesignContext;
import rmaplab.sim.RmapDesign;

/**
 * A design as its package declares it: its name, a one-line description, the
 * place it takes in reports ({@code order}, ascending), whether it needs the
 * workload's future forks before the run ({@code clairvoyant}: the runner
 * then makes its first pass first), how to build one for a machine, and — for
 * a faithful model of a flawed proposal — why its walks are known to miss
 * mappings ({@code flawed}; null for a design with no known miss). The random
 * sequences expect a flawed design to fail and every other design to pass.
 */
public record DesignInfo(String name, String description, int order, boolean clairvoyant, String flawed,
                         Function<DesignContext, RmapDesign> factory) {
    /** A design with no known miss that needs no future knowledge. */
    public static DesignInfo of(String name, int order, String description, Function<DesignContext, RmapDesign> factory) {
        return new DesignInfo(name, description, order, false, null, factory);
    }

    /** The same design, registered as known to miss mappings for the reason given. */
    public DesignInfo knownToMiss(String reason) { return new DesignInfo(name, description, order, clairvoyant, reason, factory); }

    /** The same design, needing the workload's future forks. */
    public DesignInfo needingForks() { return new DesignInfo(name, description, order, true, flawed, factory); }

    public boolean sound() { return flawed == null; }
}
