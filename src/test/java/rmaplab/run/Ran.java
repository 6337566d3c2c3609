package rmaplab.run;

import java.io.IOException;
import java.util.List;
import rmaplab.ledger.LedgerSnapshot;
import rmaplab.rmap.DesignInfo;
import rmaplab.rmap.Designs;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;

/**
 * A run through the runner together with its machine at the measurement
 * point, for tests that look inside a design or the simulated kernel after
 * the run (a {@link RunResult} keeps only figures). The machine is the one
 * the design was built for: the design's factory is wrapped to note it.
 */
public record Ran(RunResult result, Machine machine) {
    public static Ran run(OpSource src, DesignInfo entry, MachineConfig cfg, CheckMode check)
            throws IOException, WorkloadException {
        Machine[] seen = new Machine[1];
        DesignInfo noting = new DesignInfo(entry.name(), entry.description(), entry.order(), entry.clairvoyant(),
                entry.flawed(), ctx -> {
            seen[0] = ctx.machine();
            return entry.factory().apply(ctx);
        });
        RunResult r = Runner.run(src, noting, cfg, check);
        return new Ran(r, seen[0]);
    }

    /** Runs ops that must be a valid workload (anything else fails the test). */
    public static Ran run(List<Op> ops, String design, MachineConfig cfg, CheckMode check) {
        try {
            return run(OpSource.of("test", ops), Designs.get(design), cfg, check);
        } catch (WorkloadException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public LedgerSnapshot ledgers() { return result.ledgers(); }

    public boolean ok() { return result.ok(); }

    public String design() { return result.design(); }

    public long violationCount() { return result.violationCount(); }

    public List<rmaplab.oracle.Violation> violations() { return result.violations(); }

    public String mapcountError() { return result.mapcountError(); }
}
