package rmaplab.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import rmaplab.ledger.ObjectFigures;
import rmaplab.run.CheckMode;
import rmaplab.run.Ran;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.SlabCache;
import rmaplab.sim.SlabSizes;
import rmaplab.workload.Op;

/**
 * gen:android builds the machine its documentation describes (the closed
 * form of what linux holds is what the simulated linux holds, at small
 * sizes and every switch), and its defaults meet the ANON_VMA_LAZY cover
 * letter's before columns within 5 %.
 */
class AndroidTest {
    private static final Generator G = Generators.get("android");

    /** The cover letter's before columns, KiB: {vm_area_struct, anon_vma_chain, anon_vma} after boot and after 24 apps. */
    private static final double[][] LETTER = {{117035, 18865.8, 20426.4}, {196873, 31477.1, 33280}};

    private static List<Op> ops(Map<String, Long> p) {
        List<Op> ops = new ArrayList<>();
        G.generate(p, ops::add);
        return ops;
    }

    /** Small machines: each count parameter drawn small, every switch on or off. */
    @Test
    void linuxHoldsWhatTheClosedFormSays() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 12; i++) {
            Map<String, String> given = new LinkedHashMap<>();
            for (String k : List.of("apps", "boot-procs", "zygote-anon", "zygote-other", "proc-anon", "proc-other",
                    "server-anon", "server-other", "daemons", "daemon-anon", "daemon-other", "daemon-helpers",
                    "zygote32-procs", "usap", "forking-apps"))
                given.put(k, Long.toString(rnd.nextInt(i % 3 == 0 ? 2 : 6)));
            given.put("app-procs", Long.toString(1 + rnd.nextInt(3)));
            given.put("cow-percent", Long.toString(rnd.nextInt(101)));
            given.put("nofork", Long.toString(i % 2));
            given.put("seed", Long.toString(i));
            Map<String, Long> p = G.resolve(given);
            Ran r = Ran.run(ops(p), "linux", MachineConfig.defaults(), CheckMode.END);
            assertTrue(r.ok(), given + ": " + r.violations());
            Map<String, ObjectFigures.Type> t = r.ledgers().objects().types();
            long[] want = Android.linuxCounts(p);
            assertEquals(want[0], t.get("anon_vma").live(), "anon_vma " + given);
            assertEquals(want[1], t.get("anon_vma_chain").live(), "anon_vma_chain " + given);
            assertEquals(want[2], t.get("vm_area_struct").live(), "vm_area_struct " + given);
        }
    }

    /** The defaults, with the derived arm64 Android slots: within 5 % of every before figure. */
    @Test
    void theDefaultsMeetTheLettersBeforeColumns() {
        SlabSizes arm = SlabSizes.profile(G.kernelProfile());
        for (int row = 0; row < 2; row++) {
            long[] n = Android.linuxCounts(G.resolve(Map.of("apps", row == 0 ? "0" : "24")));
            SlabCache[] c = {arm.vmaCache(), arm.avcCache(), arm.anonVmaCache()};
            long[] live = {n[2], n[1], n[0]};
            for (int k = 0; k < 3; k++) {
                double kb = c[k].activeBytes(live[k]) / 1024.0;
                assertEquals(1, kb / LETTER[row][k], 0.05, c[k].name() + " at " + (row == 0 ? "boot" : "24 apps"));
            }
        }
    }

    @Test
    void theSameParametersGiveTheSameOps() {
        Map<String, Long> p = G.resolve(Map.of("apps", "2", "boot-procs", "3", "seed", "5"));
        assertEquals(ops(p), ops(p));
        Map<String, Long> q = G.resolve(Map.of("apps", "2", "boot-procs", "3", "seed", "6"));
        assertTrue(!ops(p).equals(ops(q)), "the seed picks the CoW writes");
    }
}
