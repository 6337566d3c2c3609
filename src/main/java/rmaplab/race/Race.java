package rmaplab.race;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import rmaplab.design.linux.LinuxBug;
import rmaplab.design.linux.LinuxDesign;
import rmaplab.rmap.Designs;
import rmaplab.run.OpSource;
import rmaplab.run.Runner;
import rmaplab.sim.DesignContext;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.RmapDesign;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;

/** Entry points of the race explorer: which design a name (and bug options) builds, and a file's first pass. */
public final class Race {
    private Race() {}

    /** The bug options of the {@code linux} model (LinuxBug), by name. */
    public static List<String> bugNames() {
        List<String> l = new ArrayList<>();
        for (LinuxBug b : LinuxBug.values()) l.add(b.option);
        return l;
    }

    /** The factory for a design name with bug options (only {@code linux} takes them); IllegalArgumentException names what is wrong. */
    public static Function<DesignContext, RmapDesign> factory(String design, List<String> bugs) {
        Function<DesignContext, RmapDesign> f = Designs.get(design).factory();
        if (bugs.isEmpty()) return f;
        if (!design.equals("linux")) throw new IllegalArgumentException("bug options are options of the linux model, not of " + design);
        EnumSet<LinuxBug> set = EnumSet.noneOf(LinuxBug.class);
        for (String b : bugs) {
            LinuxBug x = LinuxBug.named(b);
            if (x == null) throw new IllegalArgumentException("unknown bug option '" + b + "' (known: " + String.join(", ", bugNames()) + ")");
            set.add(x);
        }
        return ctx -> new LinuxDesign(ctx, set);
    }

    /** The label of a design with its options: {@code linux+own-lock}. */
    public static String label(String design, List<String> bugs) {
        return bugs.isEmpty() ? design : design + "+" + String.join("+", bugs);
    }

    /** The runner's first pass over the file, ops in file order: FILE:LINE for what the simulated kernel refuses. */
    public static void validate(RaceFile f) throws WorkloadException {
        OpSource src = new OpSource() {
            @Override public String name() { return f.name(); }

            @Override public Cursor open() {
                return new Cursor() {
                    int i;

                    @Override public Op next() { return i < f.units().size() ? f.units().get(i++).op() : null; }

                    @Override public long line() { return f.units().get(i - 1).line(); }

                    @Override public void close() { }
                };
            }
        };
        try {
            Runner.validate(src, MachineConfig.defaults());
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory failed", e);
        }
    }

    /** The counterexample file: the violation, how to replay it, the #race lines, the workload. */
    public static String counterexample(RaceFile f, String design, List<String> bugs, Explorer.Result r) {
        StringBuilder b = new StringBuilder();
        b.append("# rmaplab race counterexample:\n#   ").append(r.violations().get(0)).append('\n');
        b.append("# found by ").append(r.mode()).append(" after ").append(r.schedules()).append(" schedule(s); shrunk from ")
                .append(r.found().size()).append(" to ").append(r.shrunk().size()).append(" switch(es)\n");
        b.append("# replay step by step: rmaplab race --replay THIS-FILE\n");
        b.append(RaceFile.DIRECTIVE).append("design ").append(design).append('\n');
        for (String x : bugs) b.append(RaceFile.DIRECTIVE).append("bug ").append(x).append('\n');
        r.shrunk().switches().forEach((p, t) -> b.append(RaceFile.DIRECTIVE).append("switch ").append(p).append(' ').append(t).append('\n'));
        b.append(f.workloadText());
        return b.toString();
    }
}
