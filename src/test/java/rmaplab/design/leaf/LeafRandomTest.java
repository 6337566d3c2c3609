package rmaplab.design.leaf;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import rmaplab.oracle.Sequences;
import rmaplab.oracle.Shrinker;
import rmaplab.rmap.Designs;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.Op;

/**
 * The random sequences of RandomSequenceTest with many more promises: after
 * every spawn, fork, vfork and exec the task promises nofork with
 * probability 1/2 (its later forks are then dropped as invalid), so that
 * linux-nofork's leaf states meet every op. The oracle runs after every op;
 * a failure is shrunk to a workload file. {@code -Drmaplab.leafSeeds=N}
 * changes the number of seeds (default 400).
 */
class LeafRandomTest {
    static final int SEEDS = Integer.getInteger("rmaplab.leafSeeds", 400);

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

    @Test
    void bothLeafDesignsPassTheOracleWithManyPromises() throws Exception {
        for (String name : List.of("linux-nofork", "leaf-bound")) {
            Designs.Entry design = Designs.get(name);
            long keyed = 0, promises = 0;
            for (long seed = 1; seed <= SEEDS; seed++) {
                MachineConfig cfg = Sequences.randomConfig(seed);
                List<Op> ops = withPromises(seed, cfg);
                promises += ops.stream().filter(o -> o instanceof Op.NoFork).count();
                Sequences.Outcome o = Sequences.outcome(design, cfg, ops);
                if (o.failure() != null) {
                    Shrinker.Counterexample cx = Shrinker.shrink(design, cfg, seed, ops, o.failure());
                    fail("random sequences with promises:\n" + cx.message());
                }
                LeafDesign d = (LeafDesign) o.result().machine().design();
                for (int f : o.result().machine().liveFolios()) if (d.addressKeyed(f)) keyed++;
            }
            System.out.printf("%s: %d sequences with %d promises clean; %d folios keyed by address at their ends%n",
                    name, SEEDS, promises, keyed);
            // the leaf states were exercised, not just linux's
            assertTrue(keyed > SEEDS, name + ": only " + keyed + " address-keyed folios in " + SEEDS + " sequences");
        }
    }
}
