package rmaplab.gen;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import rmaplab.workload.Op;

/**
 * A family of workloads: named, with documented integer parameters, writing
 * its ops to a sink. The same name, parameters and seed give the same ops.
 *
 * <p>Every parameter has a range, and {@link #resolve} refuses a value
 * outside it before anything is generated. The ranges are chosen so that the
 * largest workload they allow (every parameter at its maximum) is still one
 * this machine (24 GiB, two cores) can generate and simulate: {@code gen}
 * streams its ops, but run, compare and bench hold every generated op in
 * memory (about 50 bytes each) and the simulator needs about 150 bytes per
 * mapped page (the README's Scale section: ten million written pages and a
 * fork in a 3 GiB heap). So each generator stays within about 5 x 10^7 ops
 * and 4 x 10^7 mapped pages at once, which fit in a 16 GiB heap
 * ({@code RMAPLAB_JAVA_OPTS=-Xmx16g}) with one design, and, where its cost
 * grows with a product of parameters, within about half an hour of
 * simulation per design. Each generator gives its arithmetic, and what its
 * largest workload took here, where it lists its parameters.
 */
public interface Generator {
    String name();

    String description();

    /** Parameter name → (default, range, description), in the order help shows them. */
    Map<String, Param> params();

    /** A header comment for the written file (what the workload shows). */
    String comment(Map<String, Long> p);

    /**
     * The kernel profile (SlabSizes.PROFILES) whose slab caches this family's
     * figures are meant for, or null for this machine's; run, compare and
     * bench use it unless --kernel-profile or --default-sizes says otherwise.
     */
    default String kernelProfile() { return null; }

    /** Writes the ops for parameters {@link #resolve} returned (so each is within its range). */
    void generate(Map<String, Long> p, Consumer<Op> out);

    /** A parameter: its default, the range {@code min..max} (both allowed) and its meaning. */
    record Param(long dflt, long min, long max, String description) {
        public Param {
            if (min > max || dflt < min || dflt > max)
                throw new IllegalArgumentException("default " + dflt + " outside " + min + ".." + max);
        }

        /** The range as help shows it: {@code 0..10000}, or {@code 0 or 1} for a flag. */
        public String range() { return min == 0 && max == 1 ? "0 or 1" : min + ".." + max; }

        /**
         * The value of {@code text} (decimal, or 0x hex); one that is not a
         * whole number, overflows or lies outside the range fails with the
         * parameter's name and its range.
         */
        public long parse(String name, String text) {
            long v;
            try {
                v = Long.decode(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(refusal(name, text));
            }
            if (v < min || v > max) throw new IllegalArgumentException(refusal(name, text));
            return v;
        }

        private String refusal(String name, String text) {
            return "parameter " + name + " must be " + (min == 0 && max == 1 ? range() : "a whole number in " + range())
                    + ", not '" + text + "'";
        }
    }

    /**
     * The defaults overridden by the given values; an unknown name (the
     * known ones are listed) or a bad value (see {@link Param#parse}) fails
     * with the reason.
     */
    default Map<String, Long> resolve(Map<String, String> given) {
        Map<String, Long> out = new LinkedHashMap<>();
        params().forEach((k, v) -> out.put(k, v.dflt()));
        for (var e : given.entrySet()) {
            Param q = params().get(e.getKey());
            if (q == null)
                throw new IllegalArgumentException("generator '" + name() + "' has no parameter '" + e.getKey()
                        + "'; it has: " + String.join(", ", params().keySet()));
            out.put(e.getKey(), q.parse(e.getKey(), e.getValue()));
        }
        return out;
    }
}
