package rmaplab.design.leaf;

import rmaplab.rmap.DesignInfo;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import rmaplab.ledger.ObjectFigures;
import rmaplab.oracle.Sequences;
import rmaplab.oracle.Shrinker;
import rmaplab.rmap.Designs;
import rmaplab.run.RunResult;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.Op;
import rmaplab.workload.Workloads;

/**
 * The random sequences of RandomSequenceTest with many more promises: after
 * every spawn, fork, vfork and exec the task promises nofork with
 * probability 1/2 (its later forks are then dropped as invalid), so that
 * linux-nofork's leaf states meet every op. The oracle runs after every op;
 * a failure is shrunk to a workload file. On every sequence leaf-bound must
 * allocate no more anon_vmas and chains than linux-nofork, and linux-nofork
 * no more than linux: the bound bounds. {@code -Drmaplab.leafSeeds=N}
 * changes the number of seeds (default 400).
 */
class LeafRandomTest {
    static final int SEEDS = Integer.getInteger("rmaplab.leafSeeds", 400);
    static final List<String> DESIGNS = List.of("linux", "linux-nofork", "leaf-bound");

    /** The seed's random ops with promises added, and what the promises make invalid dropped. */
    static List<Op> withPromises(long seed, MachineConfig cfg) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<Op> out = new ArrayList<>();
        for (Op op : Sequences.randomOps(seed)) {
            out.add(op);
            String who = switch (op) {
                case Op.Spawn s -> s.task();
                case Op.Fork f -> f.child();
                case Op.Vfork v -> v.child();
                case Op.Exec e -> e.task();
                default -> null;
            };
            if (who != null && rnd.nextBoolean()) out.add(new Op.NoFork(who));
        }
        return Sequences.dropInvalid(out, cfg);
    }

    static long allocated(RunResult r, String type) {
        ObjectFigures.Type t = r.ledgers().objects().types().get(type);
        return t == null ? 0 : t.allocated();
    }

    @Test
    void theLeafDesignsPassTheOracleWithManyPromisesAndTheBoundBounds() throws Exception {
        long[] keyed = new long[DESIGNS.size()], anonVmas = new long[DESIGNS.size()], chains = new long[DESIGNS.size()];
        long promises = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            MachineConfig cfg = Sequences.randomConfig(seed);
            List<Op> ops = withPromises(seed, cfg);
            promises += ops.stream().filter(o -> o instanceof Op.NoFork).count();
            long[] av = new long[DESIGNS.size()], avc = new long[DESIGNS.size()];
            for (int i = 0; i < DESIGNS.size(); i++) {
                DesignInfo design = Designs.get(DESIGNS.get(i));
                Sequences.Outcome o = Sequences.outcome(design, cfg, ops);
                if (o.failure() != null) {
                    Shrinker.Counterexample cx = Shrinker.shrink(design, cfg, seed, ops, o.failure());
                    fail("random sequences with promises:\n" + cx.message());
                }
                RunResult r = o.result();
                av[i] = allocated(r, "anon_vma");
                avc[i] = allocated(r, "anon_vma_chain");
                anonVmas[i] += av[i];
                chains[i] += avc[i];
                if (o.machine().design() instanceof LeafDesign d)
                    for (int f : o.machine().liveFolios()) if (d.addressKeyed(f)) keyed[i]++;
            }
            for (int i = 1; i < DESIGNS.size(); i++)
                assertTrue(av[i] <= av[i - 1] && avc[i] <= avc[i - 1], "seed " + seed + ": " + DESIGNS.get(i) + " allocates "
                        + av[i] + " anon_vmas and " + avc[i] + " chains, more than " + DESIGNS.get(i - 1) + "'s " + av[i - 1]
                        + " and " + avc[i - 1] + "\n" + Workloads.toText(ops, null));
        }
        System.out.printf("%d sequences with %d promises, oracle clean; allocated anon_vma / anon_vma_chain: linux %d / %d, "
                        + "linux-nofork %d / %d, leaf-bound %d / %d; address-keyed folios at the ends: linux-nofork %d, leaf-bound %d%n",
                SEEDS, promises, anonVmas[0], chains[0], anonVmas[1], chains[1], anonVmas[2], chains[2], keyed[1], keyed[2]);
        // the leaf states were exercised, not just linux's
        for (int i = 1; i < DESIGNS.size(); i++)
            assertTrue(keyed[i] > SEEDS, DESIGNS.get(i) + ": only " + keyed[i] + " address-keyed folios in " + SEEDS + " sequences");
    }
}
