package rmaplab.sim;

import java.util.Arrays;

/**
 * A design's own state for each anonymous folio, typed, indexed by folio id
 * (what the kernel keeps in folio->mapping). Folio ids are reused: the kernel
 * announces every new folio ({@link RmapDesign#newAnonFolio},
 * {@link RmapDesign#folioMigrated}) before anything else names it, and a
 * design sets the folio's state there.
 */
public final class PerFolio<T> {
    private Object[] values = new Object[1024];

    @SuppressWarnings("unchecked")
    public T get(int folio) { return folio < values.length ? (T) values[folio] : null; }

    public void set(int folio, T value) {
        if (folio >= values.length) values = Arrays.copyOf(values, Math.max(folio + 1, values.length * 2));
        values[folio] = value;
    }
}
