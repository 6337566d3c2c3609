package rmaplab.design.linux;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import rmaplab.sim.Mm;
import rmaplab.sim.Vma;
import rmaplab.workload.Advice;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/**
 * Seeded random operation sequences over a few processes. After every op
 * the oracle walks every live folio, and the whole anon_vma state is checked
 * against the kernel's invariants: each VMA's chain holds one AVC per
 * anon_vma of its family, root last (6.18 order), each in its anon_vma's tree
 * at the VMA's current range; num_active_vmas, num_children and refcount
 * equal what they count; the live objects in the ledger are exactly those
 * reachable from live VMAs; every tree is a valid augmented red-black tree.
 */
class RandomInvariantsTest {
    static final long LO = 0x100, SPAN = 64;
    static final Prot[] PROTS = {Prot.RW, Prot.RW, Prot.R, Prot.RWX, Prot.NONE};

    @Test
    void randomSequences() {
        for (int seed = 1; seed <= 100; seed++) run(seed, 400);
    }

    private static void run(long seed, int n) {
        Random rnd = new Random(seed);
        Sim s = new Sim("random-" + seed);
        List<String> tasks = new ArrayList<>();
        int names = 0;
        s.spawn("T0");
        tasks.add("T0");
        try {
            for (int i = 0; i < n; i++) {
                String t = tasks.get(rnd.nextInt(tasks.size()));
                long a = LO + rnd.nextInt((int) SPAN), len = 1 + rnd.nextInt(8);
                int k = rnd.nextInt(100);
                if (k < 14) {
                    Mm mm = s.m.task(t).mm();
                    if (!mm.overlapping(a, a + len).isEmpty()) continue;
                    int kind = rnd.nextInt(10);
                    MapKind mk = kind < 8 ? MapKind.ANON : kind == 8 ? MapKind.file("f", rnd.nextInt(4)) : MapKind.STACK;
                    s.mmap(t, a, len, PROTS[rnd.nextInt(PROTS.length)], mk);
                } else if (k < 34) s.write(t, a, len);
                else if (k < 40) s.read(t, a, len);
                else if (k < 48) s.munmap(t, a, len);
                else if (k < 58) s.mprotect(t, a, len, PROTS[rnd.nextInt(PROTS.length)]);
                else if (k < 64) s.mremap(t, a, len, LO + rnd.nextInt((int) SPAN));
                else if (k < 67) s.resize(t, a, len, 1 + rnd.nextInt(10));
                else if (k < 70) s.madvise(t, a, len, Advice.values()[rnd.nextInt(Advice.values().length)]);
                else if (k < 80) {
                    if (tasks.size() >= 8) continue;
                    String c = "T" + (++names);
                    s.fork(t, c);
                    tasks.add(c);
                } else if (k < 86) {
                    if (tasks.size() <= 1) continue;
                    s.exit(t);
                    tasks.remove(t);
                } else if (k < 94) s.walkOp(t, a, len);
                else if (k < 99) s.migrate(t, a, len);
                else s.apply(new Op.Exec(t));
                checkInvariants(s);
            }
            s.replay();
            if (System.getenv("RMAPLAB_DEBUG") != null) System.out.println("seed " + seed + ": " + s.scenario.size() + " ops, allocated av=" + s.allocated(LinuxDesign.ANON_VMA) + " avc=" + s.allocated(LinuxDesign.AVC) + " live " + s.objects() + " errors " + s.m.errors() + " ops " + s.m.opCounts());
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + ", the workload:\n" + s.scenario.text() + e, e);
        }
    }

    /** The anon_vma invariants of the whole machine (see the class comment). */
    static void checkInvariants(Sim s) {
        Map<AnonVma, Integer> avcs = new IdentityHashMap<>(), active = new IdentityHashMap<>();
        long avcTotal = 0;
        for (Mm mm : s.m.liveMms()) {
            for (Vma v : mm.vmas()) {
                VmaAnon st = s.state(v);
                AnonVma own = st == null ? null : st.anonVma;
                assertEquals(v.anonPrepared(), own != null, () -> "prepared vs anon_vma: " + v);
                if (own == null) {
                    assertTrue(st == null || st.chain.isEmpty(), () -> "chain without anon_vma: " + v);
                    continue;
                }
                active.merge(own, 1, Integer::sum);
                assertSame(own.root, st.chain.peekLast().anonVma, () -> "root not last in the chain of " + v);
                boolean ownLinked = false;
                for (Avc avc : st.chain) {
                    avcTotal++;
                    assertSame(v, avc.vma);
                    assertTrue(avc.inTree);
                    assertEquals(v.pgoff(), avc.start, () -> "stale tree key for " + v);
                    assertEquals(v.pgoff() + v.pages() - 1, avc.last);
                    assertSame(own.root, avc.anonVma.root, "one root per chain");
                    assertFalse(avc.anonVma.freed);
                    ownLinked |= avc.anonVma == own;
                    avcs.merge(avc.anonVma, 1, Integer::sum);
                }
                assertTrue(ownLinked, () -> "vma->anon_vma not on the chain of " + v);
            }
        }
        assertEquals(avcTotal, s.avc(), "live anon_vma_chain objects");
        assertEquals(avcs.size(), s.av(), "live anon_vma objects");
        for (AnonVma av : avcs.keySet()) {
            assertNull(av.rb.verify(), () -> av.toString());
            assertEquals((int) avcs.get(av), av.rb.size(), () -> "tree size of " + av);
            assertEquals((long) active.getOrDefault(av, 0), av.numActiveVmas, () -> "num_active_vmas of " + av);
            long children = 0, refs = 1;
            for (AnonVma x : avcs.keySet()) {
                if (x.parent == av) children++;
                if (av.isRoot() && x != av && x.root == av) refs++;
            }
            long c = children;
            assertEquals(c, av.numChildren, () -> "num_children of " + av);
            long r = refs;
            assertEquals(r, av.refcount, () -> "refcount of " + av);
            assertTrue(avcs.containsKey(av.parent) && avcs.containsKey(av.root), () -> "dead parent or root of " + av);
        }
    }
}
