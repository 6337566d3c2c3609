package rmaplab.ledger;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The object ledger of a finished run, as values: per type (in the order the
 * types were first declared or allocated) the live count and bytes, their
 * peaks and the totals allocated and freed; the allocations and frees per
 * operation keyword; the live and peak bytes of all types together.
 */
public record ObjectFigures(Map<String, Type> types, Map<String, Map<String, OpCost>> byOp, long liveBytes,
                            long peakBytes) {
    /**
     * One type's figures. Counts are objects, sizes bytes; {@code growth} is
     * what the design adds to the kernel's struct (vm_area_struct), 0 for the others.
     */
    public record Type(String name, long live, long liveBytes, long peak, long peakBytes, long allocated, long freed,
                       long allocatedBytes, long growth) {}

    /** Allocations and frees of one type during one kind of operation. */
    public record OpCost(long allocated, long freed) {}

    public static ObjectFigures of(ObjectLedger l) {
        Map<String, Type> types = new LinkedHashMap<>();
        for (ObjectLedger.Type t : l.types().values())
            types.put(t.name, new Type(t.name, t.live, t.liveBytes, t.peak, t.peakBytes, t.allocated, t.freed, t.allocatedBytes,
                    t.growth));
        Map<String, Map<String, OpCost>> byOp = new TreeMap<>();
        for (var op : l.byOp().entrySet()) {
            Map<String, OpCost> per = new TreeMap<>();
            for (var c : op.getValue().entrySet()) per.put(c.getKey(), new OpCost(c.getValue().allocated, c.getValue().freed));
            byOp.put(op.getKey(), Collections.unmodifiableMap(per));
        }
        return new ObjectFigures(Collections.unmodifiableMap(types), Collections.unmodifiableMap(byOp), l.liveBytes(),
                l.peakBytes());
    }
}
