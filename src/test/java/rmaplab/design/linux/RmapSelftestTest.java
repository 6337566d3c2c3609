package rmaplab.design.linux;

import static org.junit.jupiter.api.Assertions.*;
import static rmaplab.design.linux.LiveObjects.anonVmas;
import static rmaplab.design.linux.LiveObjects.avcs;
import static rmaplab.design.linux.LiveObjects.vmas;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import rmaplab.sim.WalkResult;

/**
 * Port of tools/testing/selftests/mm/rmap.c, migrate/anon: the parent maps
 * and writes one private anonymous page, then builds a process tree of
 * TOTAL_LEVEL = 5 levels where each process forks 1..MAX_CHILDREN = 3
 * children (rand % 3 + 1, here from a seeded Random); every process reads the
 * page, so it stays shared. A worker migrates it; every process must then map
 * the new folio (the oracle checks every PTE), which only holds if the walk
 * from the folio's anon_vma (the root's) found every VMA in the tree. The
 * shm, file and KSM variants are not anonymous rmap (shm, file) or need KSM,
 * which is not modelled.
 */
class RmapSelftestTest {
    static final long PAGE = 0x400;
    static final int TOTAL_LEVEL = 5, MAX_CHILDREN = 3;

    @Test
    void migrateAnon() {
        Sim s = new Sim("rmap_migrate_anon").spawn("P0").mmap("P0", PAGE, 1).write("P0", PAGE, 1);
        Random rnd = new Random(2026);
        List<String> all = new ArrayList<>(List.of("P0"));
        long expectedAvcs = 1;
        List<String> level = List.of("P0");
        int name = 1;
        for (int depth = 1; depth < TOTAL_LEVEL; depth++) {
            List<String> next = new ArrayList<>();
            for (String parent : level) {
                int children = rnd.nextInt(MAX_CHILDREN) + 1;
                for (int c = 0; c < children; c++) {
                    String child = "P" + name++;
                    s.fork(parent, child);
                    s.read(child, PAGE, 1); // do_prepare reads the page: no CoW
                    next.add(child);
                    expectedAvcs += depth + 1; // no exits, no reuse: its own anon_vma + one AVC per ancestor
                }
            }
            all.addAll(next);
            level = next;
        }
        int n = all.size();
        // one anon_vma per process, depth+1 AVCs per process
        s.assertLive(anonVmas(n), avcs(expectedAvcs), vmas(n));
        // the worker: a process at a random level migrates the page
        String worker = all.get(rnd.nextInt(n));
        s.migrate(worker, PAGE, 1);
        int f = s.folio("P0", PAGE);
        for (String t : all) assertEquals(f, s.folio(t, PAGE), t + " sees the new frame");
        // a walk from the root anon_vma finds every process
        WalkResult w = s.walk("P0", PAGE);
        assertEquals(n, w.hits());
        assertEquals(n, w.visits());
        s.replay();
    }
}
