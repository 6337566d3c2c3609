package rmaplab.ledger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * The lock ledger of a finished run, as values: acquisitions by mode, every
 * lock instance with its acquisitions and the number of distinct processes
 * that took it (the processes themselves are not kept), and the hottest
 * instance as the ledger chose it.
 *
 * @param hottest the instance with the most acquisitions ({@link LockLedger#hottest}), or null
 */
public record LockFigures(long total, long read, long write, long rcu, List<Instance> instances, Instance hottest,
                          int maxDistinctProcesses) {
    /** One lock instance, e.g. the root anon_vma's rwsem of one fork family. */
    public record Instance(String lockClass, long id, long read, long write, long rcu, java.util.SortedMap<String, Long> byOp,
                           int distinctProcesses) {
        public long acquisitions() { return read + write + rcu; }

        public long byMode(LockLedger.Mode m) {
            return switch (m) {
                case READ -> read;
                case WRITE -> write;
                case RCU -> rcu;
            };
        }

        static Instance of(LockLedger.Instance i) {
            return new Instance(i.lockClass, i.id, i.byMode[LockLedger.Mode.READ.ordinal()],
                    i.byMode[LockLedger.Mode.WRITE.ordinal()], i.byMode[LockLedger.Mode.RCU.ordinal()],
                    Collections.unmodifiableSortedMap(new TreeMap<>(i.byOp)), i.distinctProcesses());
        }
    }

    public static LockFigures of(LockLedger l) {
        List<Instance> all = new ArrayList<>();
        LockLedger.Instance hot = l.hottest();
        Instance hottest = null;
        for (LockLedger.Instance i : l.sorted()) {
            Instance f = Instance.of(i);
            if (i == hot) hottest = f;
            all.add(f);
        }
        return new LockFigures(l.total(), l.total(LockLedger.Mode.READ), l.total(LockLedger.Mode.WRITE),
                l.total(LockLedger.Mode.RCU), Collections.unmodifiableList(all), hottest, l.maxDistinctProcesses());
    }

    public long total(LockLedger.Mode m) {
        return switch (m) {
            case READ -> read;
            case WRITE -> write;
            case RCU -> rcu;
        };
    }

    public int instanceCount() { return instances.size(); }

    /** Share of all acquisitions taken on the hottest instance, 0..1, as {@link LockLedger#hottestShare}. */
    public double hottestShare() { return hottest == null || total == 0 ? 0 : (double) hottest.acquisitions() / total; }
}
