package rmaplab.design.linux;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The interval tree against a plain list: nodes in (start, insertion order),
 * queries return exactly the overlapping nodes in that order, and the
 * red-black and rb_subtree_last invariants hold after every change.
 */
class AnonVmaTreeTest {
    private static final class N extends AnonVmaTree.Node {
        final long seq;

        N(long start, long last, long seq) {
            this.start = start;
            this.last = last;
            this.seq = seq;
        }
    }

    private static final Comparator<N> ORDER = Comparator.<N>comparingLong(n -> n.start).thenComparingLong(n -> n.seq);

    @Test
    void randomInsertsRemovesAndQueriesMatchAList() {
        Random rnd = new Random(42);
        for (int round = 0; round < 20; round++) {
            AnonVmaTree t = new AnonVmaTree();
            List<N> ref = new ArrayList<>();
            long seq = 0;
            for (int i = 0; i < 2000; i++) {
                if (ref.isEmpty() || rnd.nextInt(3) != 0) {
                    long s = rnd.nextInt(40);
                    N n = new N(s, s + rnd.nextInt(10), seq++);
                    t.insert(n);
                    ref.add(n);
                } else {
                    N n = ref.remove(rnd.nextInt(ref.size()));
                    t.remove(n);
                }
                assertNull(t.verify());
                if (i % 50 == 0) {
                    ref.sort(ORDER);
                    assertEquals(ref, t.inOrder());
                    long q = rnd.nextInt(50);
                    List<AnonVmaTree.Node> got = new ArrayList<>();
                    t.query(q, q, got::add);
                    List<N> want = new ArrayList<>();
                    for (N n : ref) if (n.start <= q && q <= n.last) want.add(n);
                    assertEquals(want, got);
                }
            }
        }
    }

    @Test
    void equalStartsGoInInsertionOrderAndAReinsertedNodeGoesLast() {
        AnonVmaTree t = new AnonVmaTree();
        N a = new N(5, 5, 0), b = new N(5, 5, 1), c = new N(5, 5, 2);
        t.insert(a);
        t.insert(b);
        t.insert(c);
        assertEquals(List.of(a, b, c), t.inOrder());
        t.remove(a);
        t.insert(a); // vma_prepare / vma_complete around a range change
        assertEquals(List.of(b, c, a), t.inOrder());
        List<AnonVmaTree.Node> got = new ArrayList<>();
        t.query(5, 5, n -> {
            got.add(n);
            return got.size() < 2; // the walk stops when the sink says so
        });
        assertEquals(List.of(b, c), got);
    }

    @Test
    void aQueryTouchesFewNodesWhenFewOverlap() {
        // 100 000 one-page intervals at distinct pgoffs: a query touches O(log n) nodes
        AnonVmaTree t = new AnonVmaTree();
        for (int i = 0; i < 100_000; i++) t.insert(new N(i, i, i));
        t.takeSteps();
        List<AnonVmaTree.Node> got = new ArrayList<>();
        t.query(77_777, 77_777, got::add);
        assertEquals(1, got.size());
        long steps = t.takeSteps();
        assertTrue(steps > 0 && steps < 80, "steps " + steps);
    }
}
