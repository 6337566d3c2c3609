package rmaplab.race;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import rmaplab.workload.WorkloadException;

/**
 * Random race sequences, as the sequential random sequences are: a seeded
 * generator of small valid race workloads (a mapping shared by a fork chain,
 * then a walk or a migration together with one or two ops of other tasks),
 * every schedule with at most one switch explored, and on a failure a
 * shrinker that deletes op lines while the failure stays; the message prints
 * the seed and the shrunk file, ready for examples/race/.
 */
class RaceSequencesTest {
    static final int SEEDS = 40;

    /** A random race workload (may be invalid: the caller validates). */
    static List<String> generate(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> l = new ArrayList<>();
        l.add("rmaplab-workload 1");
        l.add("P spawn");
        int n = 2 + r.nextInt(5);
        l.add("P mmap 0x100 " + n + " rw- anon");
        l.add("P touch 0x100 " + n + " write");
        if (r.nextBoolean()) l.add("P mprotect 0x" + Integer.toHexString(0x100 + r.nextInt(n)) + " 1 r--");
        l.add("P fork C");
        List<String> others = new ArrayList<>(List.of("C"));
        if (r.nextBoolean()) {
            l.add("C fork D");
            others.add("D");
        }
        if (r.nextBoolean()) l.add("C touch 0x100 1 write");
        l.add("P thread W");
        l.add("together");
        l.add(r.nextBoolean() ? "W walk 0x100 " + n + " full" : "W migrate 0x100 " + n);
        int k = 1 + r.nextInt(2);
        for (int i = 0; i < k && i < others.size(); i++) {
            String t = others.get(i);
            long a = 0x100 + r.nextInt(n);
            long len = 1 + r.nextInt((int) (0x100 + n - a));
            String h = "0x" + Long.toHexString(a);
            l.add(switch (r.nextInt(7)) {
                case 0 -> t + " munmap " + h + " " + len;
                case 1 -> t + " mprotect " + h + " " + len + " r--";
                case 2 -> t + " mremap " + h + " " + len + " 0x" + Long.toHexString(0x300 + r.nextInt(4)) + " " + len;
                case 3 -> t + " exit";
                case 4 -> t + " fork " + t + "x";
                case 5 -> t + " touch " + h + " " + len + " write";
                default -> t + " madvise " + h + " " + len + " dontneed";
            });
        }
        l.add("end");
        return l;
    }

    static Explorer.Result explore(List<String> lines, List<String> bugs) {
        try {
            RaceFile f = RaceFile.parse("random", String.join("\n", lines) + "\n");
            Race.validate(f);
            if (!f.hasGroups()) return null;
            return new Explorer(f, Race.factory("linux", bugs), null).bounded(1, 2000);
        } catch (WorkloadException e) {
            return null; // not a valid workload (a shrinking step may make one)
        }
    }

    static boolean fails(List<String> lines, List<String> bugs) {
        Explorer.Result r = explore(lines, bugs);
        return r != null && !r.clean();
    }

    /** Deletes op lines (not the header or the group markers) while the run still fails. */
    static List<String> shrink(List<String> lines, List<String> bugs) {
        List<String> cur = new ArrayList<>(lines);
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = cur.size() - 1; i >= 1; i--) {
                String s = cur.get(i);
                if (s.equals("together") || s.equals("end")) continue;
                List<String> cand = new ArrayList<>(cur);
                cand.remove(i);
                if (fails(cand, bugs)) {
                    cur = cand;
                    progress = true;
                }
            }
        }
        return cur;
    }

    @Test void linuxHoldsOnRandomRaces() {
        int valid = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            List<String> w = generate(seed);
            Explorer.Result r = explore(w, List.of());
            if (r == null) continue;
            valid++;
            if (!r.clean()) {
                List<String> s = shrink(w, List.of());
                fail("seed " + seed + ": " + r.violations().get(0) + "\nshrunk from " + w.size() + " to " + s.size()
                        + " lines:\n" + String.join("\n", s));
            }
        }
        assertTrue(valid >= SEEDS / 2, "only " + valid + " valid random race workloads");
    }

    /** The same generator finds the pre-012f18004da3 locking wrong, and the shrinker makes the failure small. */
    @Test void randomRacesFindOwnLockAndShrinkIt() {
        List<String> bugs = List.of("own-lock");
        List<String> found = null;
        long seed = 1;
        for (; seed <= 200 && found == null; seed++) if (fails(generate(seed), bugs)) found = generate(seed);
        assertNotNull(found, "no random race workload showed the own-lock bug in 200 seeds");
        List<String> s = shrink(found, bugs);
        assertTrue(fails(s, bugs), "the shrunk file must still fail");
        assertTrue(s.size() <= found.size(), "seed " + (seed - 1) + ": shrunk to " + s.size() + " lines");
        assertTrue(explore(s, List.of()) != null && explore(s, List.of()).clean(), "fixed linux must be clean on:\n"
                + String.join("\n", s));
    }
}
