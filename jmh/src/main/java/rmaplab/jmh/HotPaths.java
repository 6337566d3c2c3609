package rmaplab.jmh;

import java.util.List;
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
import rmaplab.ledger.Ledgers;
import rmaplab.oracle.Oracle;
import rmaplab.rmap.Designs;
import rmaplab.run.Runner;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.Workloads;

/**
 * The simulated kernel's hot paths under every design, each timed per unit of
 * work: one invocation applies a batch of N ops of one kind to a machine
 * prepared (untimed) for it, and JMH divides by N (@OperationsPerInvocation).
 * The workloads are written in the workload format, so that they read as the
 * files do. Units: ns per page faulted, per VMA forked or unmapped, per folio walked.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 20, batchSize = 1)
@Measurement(iterations = 30, batchSize = 1)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "-Xss8m", "-XX:+UseParallelGC"})
public class HotPaths {
    static final int N = 1000;

    @State(Scope.Thread)
    public static class Prepared {
        @Param({"pv", "linux", "linux-nofork", "leaf-bound", "cowctx", "cowctx-fixed", "cowctx-fixed-mapping",
                "cowctx-fixed-page", "lazy", "lazy-mm", "lazy-repoint", "lazy-fixed"})
        public String design;

        Machine machine;
        List<Op> measured;

        /** Builds a machine of the design, applies the setup ops, keeps the measured ones. */
        void prepare(String setup, String measure, boolean oracle) throws WorkloadException {
            List<Op> all = Workloads.parse("benchmark", "rmaplab-workload 1\n" + setup + measure);
            int n = Workloads.parse("setup", "rmaplab-workload 1\n" + setup).size();
            List<Op> before = all.subList(0, n);
            measured = all.subList(n, all.size());
            MachineConfig cfg = MachineConfig.defaults();
            machine = new Machine(cfg, new Ledgers(), Designs.get(design).factory(), Runner.forkScheduleOf(all, cfg));
            if (oracle) new Oracle(machine, 20);
            for (Op op : before) machine.apply(op);
        }

        Machine run() {
            for (Op op : measured) machine.apply(op);
            return machine;
        }
    }

    /** N one-page VMAs with a one-page gap after each, at page 0x10000. */
    static String regions(String task, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append(task).append(" mmap ").append(0x10000 + 2 * i).append(" 1 rw- anon\n");
        return b.toString();
    }

    static String touches(String task, int n, int stride, String how) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append(task).append(" touch ").append(0x10000 + stride * i).append(" 1 ").append(how).append('\n');
        return b.toString();
    }

    public static class FirstFault extends Prepared {
        @Setup(Level.Invocation) public void setup() throws WorkloadException {
            prepare("P spawn\nP mmap 0x10000 " + N + " rw- anon\n", touches("P", N, 1, "write"), false);
        }
    }

    public static class CowFault extends Prepared {
        @Setup(Level.Invocation) public void setup() throws WorkloadException {
            prepare("P spawn\nP mmap 0x10000 " + N + " rw- anon\n" + touches("P", N, 1, "write") + "P fork C\n",
                    touches("C", N, 1, "write"), false);
        }
    }

    public static class ForkVmas extends Prepared {
        @Setup(Level.Invocation) public void setup() throws WorkloadException {
            prepare("P spawn\n" + regions("P", N) + touches("P", N, 2, "write"), "P fork C\n", false);
        }
    }

    public static class MunmapVmas extends Prepared {
        @Setup(Level.Invocation) public void setup() throws WorkloadException {
            StringBuilder m = new StringBuilder();
            for (int i = 0; i < N; i++) m.append("C munmap ").append(0x10000 + 2 * i).append(" 1\n");
            prepare("P spawn\n" + regions("P", N) + touches("P", N, 2, "write") + "P fork C\n", m.toString(), false);
        }
    }

    /** N written pages in one VMA, shared with 8 children: a walk of each folio finds 9 mappings. */
    static String shared() {
        StringBuilder b = new StringBuilder("P spawn\nP mmap 0x10000 " + N + " rw- anon\n" + touches("P", N, 1, "write"));
        for (int k = 0; k < 8; k++) b.append("P fork C").append(k).append('\n');
        return b.toString();
    }

    static String walks() { return touches("P", N, 1, "full").replace(" touch ", " walk "); }

    public static class Walk extends Prepared {
        @Setup(Level.Invocation) public void setup() throws WorkloadException { prepare(shared(), walks(), false); }
    }

    public static class WalkChecked extends Prepared {
        @Setup(Level.Invocation) public void setup() throws WorkloadException { prepare(shared(), walks(), true); }
    }

    /** ns per first anonymous fault (a new folio in a VMA whose anon_vma exists after the first). */
    @Benchmark @OperationsPerInvocation(N) public Machine firstFault(FirstFault s) { return s.run(); }

    /** ns per CoW fault (the child writes a page it shares with its parent). */
    @Benchmark @OperationsPerInvocation(N) public Machine cowFault(CowFault s) { return s.run(); }

    /** ns per VMA copied by fork (a parent with N written one-page VMAs forks once). */
    @Benchmark @OperationsPerInvocation(N) public Machine forkPerVma(ForkVmas s) { return s.run(); }

    /** ns per VMA unmapped (the child unmaps every VMA it inherited, one munmap each). */
    @Benchmark @OperationsPerInvocation(N) public Machine munmapPerVma(MunmapVmas s) { return s.run(); }

    /** ns per folio walked (full walk, 9 mappings each), with no oracle attached. */
    @Benchmark @OperationsPerInvocation(N) public Machine walkPerFolio(Walk s) { return s.run(); }

    /** ns per folio walked with the oracle checking the walk: minus walkPerFolio, the oracle's check. */
    @Benchmark @OperationsPerInvocation(N) public Machine walkPerFolioChecked(WalkChecked s) { return s.run(); }
}
