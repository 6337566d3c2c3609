package rmaplab.gen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rmaplab.workload.Op;

/**
 * A generated workload named on the command line as {@code gen:NAME[:K=V,...]}
 * (run, compare, bench): the generator and its parameters, each checked
 * against its range before anything is generated.
 *
 * @param text      the spec as given
 * @param generator the generator NAME names
 * @param params    every parameter: the given values, the defaults for the rest
 */
public record GenSpec(String text, Generator generator, Map<String, Long> params) {
    public static final String PREFIX = "gen:";

    /** Whether a workload argument names a generator rather than a file. */
    public static boolean isSpec(String workload) { return workload.startsWith(PREFIX); }

    /**
     * Parses {@code gen:NAME[:K=V,...]}. An unknown generator or parameter, a
     * part that is not K=V, or a value outside its parameter's range fails
     * with an IllegalArgumentException saying so after the spec:
     * {@code gen:fork-server:apps=0: parameter apps must be ...}.
     */
    public static GenSpec parse(String spec) {
        if (!isSpec(spec)) throw new IllegalArgumentException(spec + ": not " + PREFIX + "NAME[:K=V,...]");
        String[] parts = spec.substring(PREFIX.length()).split(":", 2);
        try {
            Generator g = Generators.get(parts[0]);
            Map<String, String> given = new LinkedHashMap<>();
            if (parts.length > 1 && !parts[1].isEmpty())
                for (String kv : parts[1].split(",")) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) throw new IllegalArgumentException("'" + kv + "' is not K=V");
                    given.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            return new GenSpec(spec, g, g.resolve(given));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(spec + ": " + e.getMessage(), e);
        }
    }

    /** The generated ops, in memory. */
    public List<Op> ops() {
        List<Op> ops = new ArrayList<>();
        generator.generate(params, ops::add);
        return ops;
    }
}
