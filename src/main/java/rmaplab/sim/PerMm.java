package rmaplab.sim;

import java.util.Arrays;

/** A design's own state for each mm, typed, indexed by mm id (ids are never reused). */
public final class PerMm<T> {
    private Object[] values = new Object[64];

    @SuppressWarnings("unchecked")
    public T get(Mm mm) { return mm.id < values.length ? (T) values[mm.id] : null; }

    public void put(Mm mm, T value) {
        if (mm.id >= values.length) values = Arrays.copyOf(values, Math.max(mm.id + 1, values.length * 2));
        values[mm.id] = value;
    }
}
