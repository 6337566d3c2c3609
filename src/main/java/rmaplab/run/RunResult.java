package rmaplab.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rmaplab.ledger.LedgerSnapshot;
import rmaplab.ledger.Ledgers;
import rmaplab.oracle.Violation;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;

/**
 * One design run on one workload, at the measurement point (the end of the
 * workload, every task that did not exit still alive), as values: the
 * ledgers' figures and the machine's counters, copied when the run ended. It
 * holds nothing of the machine or the design, which are garbage once the
 * run is over.
 *
 * @param machine the simulated machine's counters at the end
 * @param ledgers the ledgers' figures at the end
 */
public record RunResult(String workload, String design, CheckMode check, long ops, MachineFigures machine,
                        LedgerSnapshot ledgers, List<Violation> violations, long violationCount, long checkedWalks,
                        String mapcountError, long millis) {
    /**
     * What the machine counted, kept for reports.
     *
     * @param opCounts ops applied, by keyword
     * @param faults   page faults
     * @param errors   "op ERRNO" → how many times a call returned that error
     * @param liveVmas VMAs mapped at the end
     */
    public record MachineFigures(MachineConfig config, Map<String, Long> opCounts, long faults, Map<String, Long> errors,
                                 long liveVmas) {
        static MachineFigures of(Machine m) {
            return new MachineFigures(m.config(), copy(m.opCounts()), m.faults(), copy(m.errors()), m.liveVmas());
        }

        /** A copy that iterates in the order the machine's map did. */
        private static Map<String, Long> copy(Map<String, Long> m) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(m));
        }
    }

    /** The result of a run that has just ended on {@code m}: its figures copied, the machine left behind. */
    public static RunResult of(String workload, String design, CheckMode check, long ops, Machine m, Ledgers ledgers,
                               List<Violation> violations, long violationCount, long checkedWalks, String mapcountError,
                               long millis) {
        return new RunResult(workload, design, check, ops, MachineFigures.of(m), LedgerSnapshot.of(ledgers),
                List.copyOf(violations), violationCount, checkedWalks, mapcountError, millis);
    }

    public boolean ok() { return violationCount == 0 && mapcountError == null; }

    public Map<String, Long> errors() { return machine.errors(); }
}
