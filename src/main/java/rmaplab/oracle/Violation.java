package rmaplab.oracle;

import rmaplab.sim.WalkResult;

/**
 * A reverse walk that missed mappings or reported ones that do not exist.
 *
 * @param opIndex the number of the op after or during which it was seen (1-based)
 * @param op      that op, as a workload line
 * @param result  the walk
 * @param during  "walk" for a walk the workload asked for, "sweep" for the oracle's own check
 */
public record Violation(long opIndex, String op, WalkResult result, String during) {
    public String describe() {
        WalkResult r = result;
        StringBuilder b = new StringBuilder();
        b.append("after op ").append(opIndex).append(" (").append(op).append("), ").append(during)
                .append(" of folio ").append(r.folio()).append(": mapcount ").append(r.mapcount())
                .append(", found ").append(r.hits()).append(" in ").append(r.visits()).append(" visits");
        if (r.missed() > 0) b.append(", MISSED ").append(r.missed());
        if (r.phantoms() > 0) b.append(", ").append(r.phantoms()).append(" PHANTOM visit(s), first: ").append(r.firstPhantom());
        return b.toString();
    }
}
