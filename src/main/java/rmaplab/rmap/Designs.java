package rmaplab.rmap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The registry of designs by name. An unknown name fails and lists the known ones. */
public final class Designs {
    /** A registered design: its name, a one-line description, and how to build one for a machine. */
    public record Entry(String name, String description, Function<DesignContext, RmapDesign> factory) {}

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        DesignCatalog.registerAll();
    }

    private Designs() {}

    public static synchronized void register(String name, String description, Function<DesignContext, RmapDesign> f) {
        if (REGISTRY.putIfAbsent(name, new Entry(name, description, f)) != null)
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
