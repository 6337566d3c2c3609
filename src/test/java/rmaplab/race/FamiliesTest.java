package rmaplab.race;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Generated families run concurrently (rmaplab.race.Families): the groups' rule, and linux clean on them. */
class FamiliesTest {
    static final List<String> FAMILIES = List.of("gen:linux-mm:regions=3,children=3",
            "gen:fork-server:server-vmas=3,server-pages=2,apps=3,replacements=2,app-vmas=2,app-pages=2",
            "gen:fork-chain:depth=4,regions=2,exit-middle=1");

    @Test void linuxMmGroupsEachChildsOpWithTheNextForkAndAWalk() throws Exception {
        String t = Families.of(FAMILIES.get(0)).text();
        assertTrue(t.startsWith("rmaplab-workload 1\n"), t);
        assertTrue(t.contains("P spawn\nP thread walker\n"), t);
        // the first child's second munmap runs with the parent's next fork and a walk of the parent's regions
        assertTrue(t.contains("together\nC0 munmap 0x10002 0x4\nP fork C1\nwalker walk 0x10000 0x5 full\nend\n"), t);
        for (String g : t.split("together\n")) if (g.contains("end\n")) assertTrue(g.contains("walker walk"), g);
    }

    @Test void everyFamilyIsValidInFileOrderAndHasGroupsOfDifferentMms() throws Exception {
        for (String f : FAMILIES) {
            RaceFile r = Families.of(f);
            Race.validate(r);
            assertTrue(r.hasGroups(), f);
            // no group holds two ops of one task but the walker's
            int open = 0;
            java.util.Set<String> tasks = new java.util.HashSet<>();
            for (String l : r.text().split("\n")) {
                if (l.equals("together")) { open = 1; tasks.clear(); continue; }
                if (l.equals("end")) { open = 0; continue; }
                if (open == 1 && !l.startsWith("#")) assertTrue(tasks.add(l.split(" ")[0]), f + ": " + l + "\n" + r.text());
            }
        }
    }

    @Test void linuxIsCleanOnTheFamilies() throws Exception {
        for (String f : FAMILIES) {
            Explorer.Result r = new Explorer(Families.of(f), Race.factory("linux", List.of()), null).pct(20, 3, 1);
            assertTrue(r.clean(), f + ": " + r.violations());
            assertEquals(20, r.schedules());
            assertTrue(r.contention().get("anon_vma.rwsem")[0] > 0, f);
        }
    }

    /** The chain is per lock class: a class with waits has a chain of at least 1, a class without none. */
    @Test void everyClassWithWaitsHasAChain() throws Exception {
        Explorer.Result r = new Explorer(Families.of(FAMILIES.get(0)), Race.factory("linux", List.of()), null).pct(40, 3, 1);
        long classesWithWaits = 0;
        for (var e : r.contention().entrySet()) {
            long[] a = e.getValue();
            assertEquals(a[1] > 0, a[2] > 0, e.getKey() + ": waits " + a[1] + ", chain " + a[2]);
            assertTrue(a[2] <= r.longestWaitChain(), e.getKey());
            if (a[1] > 0) classesWithWaits++;
        }
        assertTrue(classesWithWaits >= 2, "waits on " + classesWithWaits + " class(es): " + r.contention().keySet());
    }

    @Test void aBadSpecSaysWhat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Families.of("gen:linux-mm:regions=-1"));
        assertTrue(e.getMessage().startsWith("gen:linux-mm:regions=-1: "), e.getMessage());
    }
}
