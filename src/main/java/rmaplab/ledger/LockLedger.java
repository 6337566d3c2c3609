package rmaplab.ledger;

import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lock acquisitions: per lock instance, acquisitions by mode and by
 * operation, and the distinct processes that took it.
 */
public final class LockLedger {
    public enum Mode { READ, WRITE, RCU }

    /** One lock instance, e.g. the root anon_vma's rwsem of one fork family. */
    public static final class Instance {
        public final String lockClass;
        public final long id;
        public final long[] byMode = new long[Mode.values().length];
        public final Map<String, Long> byOp = new TreeMap<>();
        private final IntOpenHashSet pids = new IntOpenHashSet();

        Instance(String lockClass, long id) {
            this.lockClass = lockClass;
            this.id = id;
        }

        public long acquisitions() {
            long s = 0;
            for (long m : byMode) s += m;
            return s;
        }

        public int distinctProcesses() { return pids.size(); }
    }

    private record Key(String lockClass, long id) {}

    private final OpContext ctx;
    private final Map<Key, Instance> instances = new HashMap<>();
    /** The same instances by class, then id: found without making a key. */
    private final Map<String, Long2ObjectOpenHashMap<Instance>> byClass = new HashMap<>();
    private long total;
    private Instance last;
    private final long[] totalByMode = new long[Mode.values().length];

    public LockLedger(OpContext ctx) { this(ctx, false); }

    private LockLedger(OpContext ctx, boolean discard) {
        this.ctx = ctx;
        this.discard = discard;
    }

    /** A ledger that records nothing (the oracle's own sweeps: what they lock is not the workload's). */
    static LockLedger discarding() { return new LockLedger(new OpContext(), true); }

    private final boolean discard;

    /**
     * Records one acquisition of lock {@code lockClass}/{@code id} in
     * {@code mode} by the current process during the current operation.
     */
    public void acquire(String lockClass, long id, Mode mode) {
        if (discard) return;
        Instance in = last;
        if (in == null || in.id != id || !in.lockClass.equals(lockClass)) { // most acquisitions repeat the last instance
            Long2ObjectOpenHashMap<Instance> ofClass = byClass.computeIfAbsent(lockClass, c -> new Long2ObjectOpenHashMap<>());
            in = ofClass.get(id);
            if (in == null) { // a new instance: the only time a key is made
                in = new Instance(lockClass, id);
                ofClass.put(id, in);
                instances.put(new Key(lockClass, id), in);
            }
            last = in;
        }
        in.byMode[mode.ordinal()]++;
        in.byOp.merge(ctx.op(), 1L, Long::sum);
        in.pids.add(ctx.pid());
        total++;
        totalByMode[mode.ordinal()]++;
    }

    public long total() { return total; }

    public long total(Mode m) { return totalByMode[m.ordinal()]; }

    public int instanceCount() { return instances.size(); }

    public Collection<Instance> instances() { return instances.values(); }

    /** The instance with the most acquisitions (ties: class, then id), or null. */
    public Instance hottest() {
        return instances.values().stream().max(Comparator.comparingLong(Instance::acquisitions)
                .thenComparing((Instance i) -> i.lockClass, Comparator.reverseOrder())
                .thenComparingLong(i -> -i.id)).orElse(null);
    }

    /** Share of all acquisitions taken on the hottest instance, 0..1. */
    public double hottestShare() {
        Instance h = hottest();
        return h == null || total == 0 ? 0 : (double) h.acquisitions() / total;
    }

    /** The largest number of distinct processes that took any one instance. */
    public int maxDistinctProcesses() {
        int m = 0;
        for (Instance i : instances.values()) m = Math.max(m, i.distinctProcesses());
        return m;
    }

    /** Instances sorted hottest first. */
    public List<Instance> sorted() {
        List<Instance> l = new ArrayList<>(instances.values());
        l.sort(Comparator.comparingLong(Instance::acquisitions).reversed()
                .thenComparing(i -> i.lockClass).thenComparingLong(i -> i.id));
        return l;
    }
}
