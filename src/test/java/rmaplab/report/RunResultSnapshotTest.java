package rmaplab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rmaplab.ledger.Ledgers;
import rmaplab.ledger.LockLedger;
import rmaplab.ledger.ObjectLedger;
import rmaplab.ledger.WalkLedger;
import rmaplab.rmap.Designs;
import rmaplab.sim.RmapDesign;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.Ran;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;

/**
 * A run's result is a snapshot: nothing reachable from it is the simulated
 * machine, a design or a live ledger, so that the machine is garbage once
 * the run is over. Checked by walking every record component, collection
 * element and map entry reachable from each result.
 */
class RunResultSnapshotTest {
    /** The classes a result must not reach. */
    static final List<Class<?>> LIVE = List.of(Machine.class, RmapDesign.class, Ledgers.class, ObjectLedger.class,
            WalkLedger.class, LockLedger.class);

    /** Every object reachable from {@code root} through records, collections, maps and arrays; other types fail. */
    static List<Object> reachable(Object root) throws Exception {
        List<Object> seen = new ArrayList<>();
        IdentityHashMap<Object, Boolean> done = new IdentityHashMap<>();
        List<Object> todo = new ArrayList<>(List.of(root));
        while (!todo.isEmpty()) {
            Object o = todo.remove(todo.size() - 1);
            if (o == null || done.put(o, true) != null) continue;
            seen.add(o);
            Class<?> c = o.getClass();
            if (o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Character || o instanceof Enum<?>)
                continue;
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    rc.getAccessor().setAccessible(true);
                    todo.add(rc.getAccessor().invoke(o));
                }
            } else if (o instanceof Map<?, ?> m) {
                for (var e : m.entrySet()) {
                    todo.add(e.getKey());
                    todo.add(e.getValue());
                }
            } else if (o instanceof Collection<?> col) {
                todo.addAll(col);
            } else if (c.isArray()) {
                if (!c.getComponentType().isPrimitive()) for (int i = 0; i < Array.getLength(o); i++) todo.add(Array.get(o, i));
            } else {
                for (Class<?> live : LIVE) if (live.isInstance(o)) return seen; // found: the caller says so
                fail("a result holds a " + c.getName() + ", which is neither a record, a collection nor a plain value");
            }
        }
        return seen;
    }

    static List<Object> live(Object root) throws Exception {
        return reachable(root).stream().filter(o -> LIVE.stream().anyMatch(c -> c.isInstance(o))).toList();
    }

    @Test void aResultHoldsNeitherTheMachineNorTheDesignNorALiveLedger() throws Exception {
        OpSource src = OpSource.file(Path.of("examples/fork-cow.rmw"));
        List<RunResult> runs = Runner.runAll(src, List.copyOf(Designs.all().keySet()), MachineConfig.defaults(), CheckMode.END, 2);
        assertEquals(Designs.all().size(), runs.size());
        for (RunResult r : runs) {
            assertEquals(List.of(), live(r), r.design());
            assertTrue(r.ledgers().walks().walks() > 0, r.design()); // the figures are there
        }
    }

    @Test void theWalkFindsAMachineWhereThereIsOne() throws Exception {
        // the check above cannot pass by not looking: the same walk finds the machine a test helper keeps
        Ran ran = Ran.run(OpSource.file(Path.of("examples/fork-cow.rmw")), Designs.get("linux"), MachineConfig.defaults(),
                CheckMode.WALKS);
        List<Object> found = live(ran);
        assertFalse(found.isEmpty());
        assertTrue(found.get(0) instanceof Machine, found.toString());
    }
}
