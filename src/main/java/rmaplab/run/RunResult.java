package rmaplab.run;

import java.util.List;
import java.util.Map;
import rmaplab.ledger.Ledgers;
import rmaplab.oracle.Violation;
import rmaplab.sim.Machine;

/**
 * One design run on one workload, at the measurement point (the end of the
 * workload, every task that did not exit still alive).
 */
public record RunResult(String workload, String design, CheckMode check, long ops, Machine machine,
                        Ledgers ledgers, List<Violation> violations, long violationCount, long checkedWalks,
                        String mapcountError, long millis) {
    public boolean ok() { return violationCount == 0 && mapcountError == null; }

    public Map<String, Long> errors() { return machine.errors(); }
}
