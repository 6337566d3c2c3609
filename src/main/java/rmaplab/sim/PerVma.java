package rmaplab.sim;

import java.util.Arrays;

/**
 * A design's own state for each VMA, typed, in O(1): indexed by the VMA's
 * slot, a small number the kernel reuses once the VMA is freed. An entry
 * belongs to the VMA that set it: a later VMA in the same slot reads null
 * until it is given state of its own.
 */
public final class PerVma<T> {
    private Vma[] owners = new Vma[64];
    private Object[] values = new Object[64];

    /** The VMA's state, or null. */
    @SuppressWarnings("unchecked")
    public T get(Vma v) {
        int s = v.slot;
        return s < owners.length && owners[s] == v ? (T) values[s] : null;
    }

    public void put(Vma v, T value) {
        int s = v.slot;
        if (s >= owners.length) {
            int n = Math.max(s + 1, owners.length * 2);
            owners = Arrays.copyOf(owners, n);
            values = Arrays.copyOf(values, n);
        }
        owners[s] = v;
        values[s] = value;
    }

    /** Removes and returns the VMA's state (null when it had none). */
    public T remove(Vma v) {
        T old = get(v);
        if (old != null || (v.slot < owners.length && owners[v.slot] == v)) {
            owners[v.slot] = null;
            values[v.slot] = null;
        }
        return old;
    }

    public boolean has(Vma v) { return get(v) != null; }
}
