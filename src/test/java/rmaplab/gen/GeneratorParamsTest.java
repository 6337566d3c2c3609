package rmaplab.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rmaplab.workload.Op;

/** Every generator parameter has a range: values outside it are refused with its name and range, the edges work. */
class GeneratorParamsTest {
    /** Ops generated at an edge before the test has seen enough (an edge at a maximum may mean millions). */
    private static final int PREFIX = 100_000;

    private static String refusal(String name, Generator.Param q, String text) {
        return "parameter " + name + " must be " + (q.range().equals("0 or 1") ? "0 or 1" : "a whole number in " + q.range())
                + ", not '" + text + "'";
    }

    private static void refused(Generator g, String name, String text) {
        Generator.Param q = g.params().get(name);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.resolve(Map.of(name, text)),
                g.name() + " " + name + "=" + text);
        assertEquals(refusal(name, q, text), e.getMessage());
    }

    @Test
    void valuesJustOutsideTheRangeAreRefusedWithTheNameAndTheRange() {
        int checked = 0;
        for (Generator g : Generators.all().values())
            for (var e : g.params().entrySet()) {
                Generator.Param q = e.getValue();
                // below: one less than the minimum (no parameter goes down to Long.MIN_VALUE)
                refused(g, e.getKey(), Long.toString(q.min() - 1));
                // above: one more than the maximum, which overflows a long for the seeds
                refused(g, e.getKey(), BigInteger.valueOf(q.max()).add(BigInteger.ONE).toString());
                checked++;
            }
        int params = Generators.all().values().stream().mapToInt(g -> g.params().size()).sum();
        assertEquals(params, checked);
    }

    /** 2^62 (which once had gen write gigabytes) where it is out of range, negative, overflowing, not numbers. */
    @Test
    void hugeNegativeAndMalformedValuesAreRefused() {
        for (Generator g : Generators.all().values())
            for (var e : g.params().entrySet()) {
                if (e.getValue().max() < 1L << 62) refused(g, e.getKey(), "4611686018427387904");
                for (String bad : List.of("-1", "99999999999999999999999", "", "ten", "1.5", "0x", "1e3"))
                    refused(g, e.getKey(), bad);
            }
    }

    /** The edges are accepted, and the generator runs there (the other parameters at their defaults). */
    @Test
    void theEdgesAreAcceptedAndGenerate() {
        for (Generator g : Generators.all().values())
            for (var e : g.params().entrySet())
                for (long v : new long[] {e.getValue().min(), e.getValue().max()}) {
                    Map<String, Long> p = g.resolve(Map.of(e.getKey(), Long.toString(v)));
                    assertEquals(v, p.get(e.getKey()));
                    assertEquals(g.params().keySet(), p.keySet());
                    boolean none = g.name().equals("random") && p.get("ops") == 0; // every other generator spawns a task first
                    assertEquals(none, prefix(g, p).isEmpty(), g.name() + " " + e.getKey() + "=" + v);
                }
    }

    /** Hex as the header of a written workload never shows it, and the parameters' order is the help's. */
    @Test
    void hexIsAcceptedAndTheDefaultsFillTheRest() {
        Generator g = Generators.get("linux-mm");
        Map<String, Long> p = g.resolve(Map.of("base", "0x20000", "walk", "0"));
        assertEquals(List.of("regions", "children", "base", "walk"), new ArrayList<>(p.keySet()));
        assertEquals(0x20000, p.get("base"));
        assertEquals(g.params().get("regions").dflt(), p.get("regions"));
    }

    @Test
    void anUnknownParameterIsRefusedWithTheKnownOnes() {
        Generator g = Generators.get("fork-server");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.resolve(Map.of("app", "3")));
        assertEquals("generator 'fork-server' has no parameter 'app'; it has: " + String.join(", ", g.params().keySet()),
                e.getMessage());
    }

    @Test
    void aDefaultOutsideItsRangeIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> new Generator.Param(5, 0, 4, "x"));
        assertThrows(IllegalArgumentException.class, () -> new Generator.Param(0, 1, 4, "x"));
        assertThrows(IllegalArgumentException.class, () -> new Generator.Param(1, 2, 1, "x"));
        assertEquals("0 or 1", new Generator.Param(0, 0, 1, "x").range());
        assertEquals("1..16", new Generator.Param(4, 1, 16, "x").range());
    }

    @Test
    void aSpecIsCheckedAndItsErrorsNameIt() {
        GenSpec s = GenSpec.parse("gen:linux-mm:regions=3,children=4");
        assertEquals(3, s.params().get("regions"));
        assertEquals(4, s.params().get("children"));
        List<Op> direct = new ArrayList<>();
        s.generator().generate(s.params(), direct::add);
        assertEquals(direct, s.ops());
        assertEquals(Generators.get("random").resolve(Map.of()), GenSpec.parse("gen:random").params());
        assertEquals(Generators.get("random").resolve(Map.of()), GenSpec.parse("gen:random:").params());

        Generator.Param apps = Generators.get("fork-server").params().get("apps");
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("gen:fork-server:apps=0", refusal("apps", apps, "0"));
        bad.put("gen:fork-server:seed=1,apps=1000000", refusal("apps", apps, "1000000"));
        bad.put("gen:fork-server:ap=1", "generator 'fork-server' has no parameter 'ap'; it has: "
                + String.join(", ", Generators.get("fork-server").params().keySet()));
        bad.put("gen:fork-server:apps", "'apps' is not K=V");
        bad.put("gen:fork-server:=3", "'=3' is not K=V");
        bad.put("gen:nope", "unknown generator 'nope'; known generators: " + String.join(", ", Generators.all().keySet()));
        for (var e : bad.entrySet()) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> GenSpec.parse(e.getKey()));
            assertEquals(e.getKey() + ": " + e.getValue(), x.getMessage());
        }
        assertTrue(GenSpec.isSpec("gen:x"));
        assertFalse(GenSpec.isSpec("examples/gen:x.rmw"));
    }

    /** The first {@link #PREFIX} ops (all of them when there are fewer). */
    static List<Op> prefix(Generator g, Map<String, Long> p) {
        List<Op> ops = new ArrayList<>();
        final class Enough extends RuntimeException {
            Enough() { super(null, null, false, false); }
        }
        try {
            g.generate(p, op -> {
                ops.add(op);
                if (ops.size() >= PREFIX) throw new Enough();
            });
        } catch (Enough e) {
            // seen enough
        }
        return ops;
    }
}
