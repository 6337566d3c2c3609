package rmaplab.design.linux;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * linux's anon_vma interval tree ({@link AnonVmaTree}, a port of the kernel's
 * augmented rbtree): ns per insert, per remove, and per stabbing query of one
 * page offset, in a tree of {@code size} chains with random one- to
 * sixteen-page intervals over 4 * size pages. (In this package because the
 * tree is package-private.)
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 20, batchSize = 1)
@Measurement(iterations = 30, batchSize = 1)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class IntervalTreeBench {
    static final int OPS = 1000;

    @State(Scope.Thread)
    public static class Tree {
        @Param({"1000", "100000"})
        public int size;
        AnonVmaTree tree;
        AnonVmaTree.Node[] in, extra;
        long[] points;
        long found;

        static AnonVmaTree.Node node(SplittableRandom r, int size) {
            AnonVmaTree.Node n = new AnonVmaTree.Node();
            n.start = r.nextLong(4L * size);
            n.last = n.start + r.nextLong(16);
            return n;
        }

        @Setup(Level.Invocation) public void setup() {
            SplittableRandom r = new SplittableRandom(size);
            tree = new AnonVmaTree();
            in = new AnonVmaTree.Node[size];
            for (int i = 0; i < size; i++) tree.insert(in[i] = node(r, size));
            extra = new AnonVmaTree.Node[OPS];
            for (int i = 0; i < OPS; i++) extra[i] = node(r, size);
            points = new long[OPS];
            for (int i = 0; i < OPS; i++) points[i] = r.nextLong(4L * size);
        }
    }

    /** ns per insert into a tree of size nodes. */
    @Benchmark @OperationsPerInvocation(OPS) public AnonVmaTree insert(Tree t) {
        for (AnonVmaTree.Node n : t.extra) t.tree.insert(n);
        return t.tree;
    }

    /** ns per remove from a tree of size nodes (the first OPS inserted). */
    @Benchmark @OperationsPerInvocation(OPS) public AnonVmaTree remove(Tree t) {
        for (int i = 0; i < OPS; i++) t.tree.remove(t.in[i]);
        return t.tree;
    }

    /** ns per stabbing query (every chain whose interval holds one page offset, as rmap_walk_anon asks). */
    @Benchmark @OperationsPerInvocation(OPS) public long query(Tree t) {
        long n = 0;
        for (long p : t.points) {
            long[] c = {0};
            t.tree.query(p, p, x -> { c[0]++; return true; });
            n += c[0];
        }
        return n;
    }
}
