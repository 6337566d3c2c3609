package rmaplab.gen;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The registry of workload generators, by name (each generator is a class of
 * its own, with the reasoning behind its parameters' ranges), and what their
 * parameter lists share.
 */
public final class Generators {
    private static final Map<String, Generator> ALL = new LinkedHashMap<>();

    static {
        add(new LinuxMm());
        add(new ForkChain());
        add(new ForkServer());
        add(new Snapshot());
        add(new Pipeline());
        add(new ReallocGrowth());
        add(new RandomMix());
        add(new Android());
    }

    private Generators() {}

    static void add(Generator g) { ALL.put(g.name(), g); }

    public static Map<String, Generator> all() { return Collections.unmodifiableMap(ALL); }

    public static Generator get(String name) {
        Generator g = ALL.get(name);
        if (g == null)
            throw new IllegalArgumentException("unknown generator '" + name + "'; known generators: " + String.join(", ", ALL.keySet()));
        return g;
    }

    /** Seeds: any that is not negative. */
    static final long SEED_MAX = Long.MAX_VALUE;

    /**
     * The highest first page a generator's window may start at: 2^34 pages
     * (64 TiB), so that the window, up to 20,000 pages, stays well inside
     * x86-64's user address space (2^35 pages, 128 TiB, with four-level page
     * tables).
     */
    static final long BASE_MAX = 1L << 34;

    /** Parameters in groups of five: name, default, min, max, description. */
    static Map<String, Generator.Param> params(Object... v) {
        Map<String, Generator.Param> m = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i += 5)
            m.put((String) v[i], new Generator.Param(((Number) v[i + 1]).longValue(), ((Number) v[i + 2]).longValue(),
                    ((Number) v[i + 3]).longValue(), (String) v[i + 4]));
        return m;
    }
}
