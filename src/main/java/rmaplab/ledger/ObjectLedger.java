package rmaplab.ledger;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metadata objects by type (named after the kernel struct each stands for:
 * vm_area_struct, anon_vma, anon_vma_chain, ...): live count and bytes, the
 * peak of each, the total allocated, and allocations and frees per operation.
 */
public final class ObjectLedger {
    /** Per type figures. Counts are objects, sizes bytes. */
    public static final class Type {
        public final String name;
        public long live, liveBytes, peak, peakBytes, allocated, freed, allocatedBytes;
        /** Bytes a design adds to the kernel's struct of this type (vmaGrowthBytes), 0 for the others. */
        public long growth;

        Type(String name) { this.name = name; }
    }

    /** Allocations and frees of one type during one kind of operation. */
    public static final class OpCost {
        public long allocated, freed;
    }

    private final OpContext ctx;
    private final Map<String, Type> types = new LinkedHashMap<>();
    private final Map<String, Map<String, OpCost>> byOp = new TreeMap<>();
    private long liveBytes, peakBytes;

    public ObjectLedger(OpContext ctx) { this.ctx = ctx; }

    private Type lastType;

    private Type type(String name) {
        Type t = lastType; // allocations and frees come in runs of one type
        if (t == null || !t.name.equals(name)) lastType = t = types.computeIfAbsent(name, Type::new);
        return t;
    }

    /** Declares a type so that it shows in reports even when never allocated. */
    public void declare(String name) { type(name); }

    /**
     * Declares a kernel struct the design grows by {@code growth} bytes of
     * fields (what the slab charges for it is the report's to say: the
     * growth may fit the struct's padding).
     */
    public void declare(String name, long growth) { type(name).growth = growth; }

    public void alloc(String name, long bytes) {
        Type t = type(name);
        t.live++;
        t.liveBytes += bytes;
        t.allocated++;
        t.allocatedBytes += bytes;
        if (t.live > t.peak) t.peak = t.live;
        if (t.liveBytes > t.peakBytes) t.peakBytes = t.liveBytes;
        liveBytes += bytes;
        if (liveBytes > peakBytes) peakBytes = liveBytes;
        opCost(name).allocated++;
    }

    public void free(String name, long bytes) {
        Type t = type(name);
        if (t.live <= 0) throw new IllegalStateException("free of a " + name + " that is not live");
        t.live--;
        t.liveBytes -= bytes;
        t.freed++;
        liveBytes -= bytes;
        opCost(name).freed++;
    }

    /** Changes the size of a live object (e.g. an array that grows). */
    public void resize(String name, long deltaBytes) {
        Type t = type(name);
        t.liveBytes += deltaBytes;
        if (t.liveBytes > t.peakBytes) t.peakBytes = t.liveBytes;
        if (deltaBytes > 0) t.allocatedBytes += deltaBytes;
        liveBytes += deltaBytes;
        if (liveBytes > peakBytes) peakBytes = liveBytes;
    }

    private String lastOp, lastOpType;
    private OpCost lastCost;

    private OpCost opCost(String name) {
        String op = ctx.op();
        if (lastCost != null && op.equals(lastOp) && name.equals(lastOpType)) return lastCost;
        lastOp = op;
        lastOpType = name;
        return lastCost = byOp.computeIfAbsent(op, k -> new TreeMap<>()).computeIfAbsent(name, k -> new OpCost());
    }

    public Map<String, Type> types() { return Collections.unmodifiableMap(types); }

    /** op keyword → type → cost. */
    public Map<String, Map<String, OpCost>> byOp() { return Collections.unmodifiableMap(byOp); }

    public long liveBytes() { return liveBytes; }

    /** Peak of the sum of all types' bytes (not the sum of per-type peaks). */
    public long peakBytes() { return peakBytes; }
}
