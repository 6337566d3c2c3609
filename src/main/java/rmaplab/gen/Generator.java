package rmaplab.gen;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import rmaplab.workload.Op;

/**
 * A family of workloads: named, with documented integer parameters, writing
 * its ops to a sink. The same name, parameters and seed give the same ops.
 */
public interface Generator {
    String name();

    String description();

    /** Parameter name → (default, description), in the order help shows them. */
    Map<String, Param> params();

    /** A header comment for the written file (what the workload shows). */
    String comment(Map<String, Long> p);

    void generate(Map<String, Long> p, Consumer<Op> out);

    /** A parameter with its default value and meaning. */
    record Param(long dflt, String description) {}

    /** The defaults overridden by the given values; an unknown name or a bad value fails with the reason. */
    default Map<String, Long> resolve(Map<String, String> given) {
        Map<String, Long> out = new LinkedHashMap<>();
        params().forEach((k, v) -> out.put(k, v.dflt()));
        for (var e : given.entrySet()) {
            if (!out.containsKey(e.getKey()))
                throw new IllegalArgumentException("generator '" + name() + "' has no parameter '" + e.getKey()
                        + "'; it has: " + String.join(", ", params().keySet()));
            long v;
            try {
                v = Long.decode(e.getValue());
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException("parameter " + e.getKey() + ": '" + e.getValue() + "' is not a whole number");
            }
            if (v < 0) throw new IllegalArgumentException("parameter " + e.getKey() + " must not be negative");
            out.put(e.getKey(), v);
        }
        return out;
    }
}
