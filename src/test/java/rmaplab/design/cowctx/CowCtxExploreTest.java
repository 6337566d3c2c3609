package rmaplab.design.cowctx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import rmaplab.design.pv.PvDesign;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.WorkloadError;
import rmaplab.workload.Op;
import rmaplab.workload.Workloads;

/**
 * The search that found the counterexamples, kept so that it can be run
 * again; skipped unless asked for:
 *
 * <pre>
 * ./mvnw -q test -Dtest=CowCtxExploreTest -Dexplore=1000 -Dfixes=10000 [-Dlen=40]
 * </pre>
 *
 * runs seeds 1..N (with and without the zero page) on the design with the
 * given {@link Fixes} (five 0/1 digits), shrinks every failure, and prints
 * them grouped by which single further correction makes them pass. pv is run
 * on each sequence too, to catch the simulated kernel's own faults.
 */
class CowCtxExploreTest {
    private static final String[] NAMES = {"earlyStop", "preciseUnmap", "remapAddsNew", "insertion", "firstFault"};

    @Test
    void explore() {
        String p = System.getProperty("explore");
        Assumptions.assumeTrue(p != null, "opt-in search for new counterexamples: run with -Dtest=CowCtxExploreTest -Dexplore=N");
        int n = Integer.parseInt(p);
        Fixes target = Fixes.of(System.getProperty("fixes", "00000"));
        Map<String, List<String>> byClass = new TreeMap<>();
        int fails = 0;
        for (long seed = 1; seed <= n; seed++) {
            for (MachineConfig cfg : List.of(MachineConfig.defaults(), MachineConfig.defaults().withZeroPage(false))) {
                List<Op> ops = Support.randomOps(seed, Integer.getInteger("len", 40), cfg, c -> new CowCtxDesign(c, target));
                try {
                    if (!Support.runWith(ops, PvDesign::new, cfg).ok()) {
                        System.out.println("PV FAILS, seed " + seed + "\n"
                                + Workloads.toText(Support.shrink(ops, o -> !Support.runWith(o, PvDesign::new, cfg).ok()), null));
                        continue;
                    }
                } catch (WorkloadError e) {
                    // not valid where VMAs merge as pv merges them
                }
                if (Support.runWith(ops, c -> new CowCtxDesign(c, target), cfg).ok()) continue;
                fails++;
                List<Op> s = Support.shrink(ops, o -> !Support.runWith(o, c -> new CowCtxDesign(c, target), cfg).ok());
                List<String> cls = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    Fixes g = Fixes.of("00000".substring(0, i) + "1" + "00000".substring(i + 1)).or(target);
                    if (Support.runWith(s, c -> new CowCtxDesign(c, g), cfg).ok()) cls.add(NAMES[i]);
                }
                String key = String.join("+", cls) + (cfg.zeroPage() ? "" : " (no zero page)");
                byClass.computeIfAbsent(key, k -> new ArrayList<>()).add("# seed " + seed + ", " + s.size() + " ops\n" + Workloads.toText(s, null));
            }
        }
        System.out.println("FAILING SEQUENCES: " + fails + " of " + (2 * n) + " with fixes " + target.bits());
        for (var e : byClass.entrySet()) {
            List<String> l = e.getValue();
            l.sort((a, b) -> Integer.compare(a.length(), b.length()));
            System.out.println("=== fixed by [" + e.getKey() + "]: " + l.size());
            for (int i = 0; i < Math.min(3, l.size()); i++) System.out.println(l.get(i));
        }
    }
}
