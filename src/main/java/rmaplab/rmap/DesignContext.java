package rmaplab.rmap;

import rmaplab.ledger.Ledgers;
import rmaplab.sim.Folios;
import rmaplab.sim.Machine;
import rmaplab.sim.SlabSizes;

/** What a design is given: read access to its machine, the ledgers, the object sizes. */
public record DesignContext(Machine machine, Ledgers ledgers, SlabSizes sizes) {
    public Folios folios() { return machine.folios(); }
}
