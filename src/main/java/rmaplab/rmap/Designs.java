package rmaplab.rmap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The registry of designs by name. An unknown name fails and lists the known ones. */
public final class Designs {
    /**
     * A registered design: its name, a one-line description, how to build one
     * for a machine, and — for a faithful model of a flawed proposal — why
     * its walks are known to miss mappings (null for a sound design). The
     * random-sequence test expects a flawed design to fail and every other
     * design to pass.
     */
    public record Entry(String name, String description, String flawed, Function<DesignContext, RmapDesign> factory) {
        public Entry(String name, String description, Function<DesignContext, RmapDesign> factory) {
            this(name, description, null, factory);
        }

        public boolean sound() { return flawed == null; }
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        DesignCatalog.registerAll();
    }

    private Designs() {}

    public static synchronized void register(String name, String description, Function<DesignContext, RmapDesign> f) {
        register(name, description, null, f);
    }

    /** Registers a faithful model of a flawed proposal: its walks are known to miss mappings, for the reason given. */
    public static synchronized void register(String name, String description, String flawed, Function<DesignContext, RmapDesign> f) {
        if (REGISTRY.putIfAbsent(name, new Entry(name, description, flawed, f)) != null)
            throw new IllegalStateException("design registered twice: " + name);
    }

    public static synchronized Map<String, Entry> all() { return Collections.unmodifiableMap(new LinkedHashMap<>(REGISTRY)); }

    public static synchronized Entry get(String name) {
        Entry e = REGISTRY.get(name);
        if (e == null)
            throw new IllegalArgumentException("unknown design '" + name + "'; known designs: " + String.join(", ", REGISTRY.keySet()));
        return e;
    }
}
