package rmaplab.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/** A shell running pipelines: fork + exec of short-lived commands, which map and write a little. */
final class Pipeline implements Generator {
    public String name() { return "pipeline"; }

    public String description() { return "a shell runs pipelines: it forks, each child execs, maps and writes a little, and exits"; }

    /**
     * Little is mapped at once (the shell, and one pipeline's commands):
     * the cost is the commands, pipelines x stages = 160,000, each forked
     * from the shell (1,000 VMAs copied, then dropped by exec) and writing
     * 128 VMAs: 4.1 x 10^7 ops and 1.6 x 10^8 VMA copies. A tenth of it
     * (1,000 pipelines) took 3 min with compare --design linux on this
     * machine: the whole, half an hour.
     */
    public Map<String, Param> params() {
        return Generators.params("pipelines", 50, 0, 10_000, "pipelines run",
                "stages", 3, 0, 16, "commands per pipeline",
                "shell-vmas", 30, 0, 1000, "VMAs the shell has written",
                "cmd-vmas", 20, 0, 128, "VMAs each command maps and writes",
                "vfork", 0, 0, 1, "1: start commands with vfork (posix_spawn) instead of fork");
    }

    public String comment(Map<String, Long> p) {
        return "pipeline: " + p.get("pipelines") + " pipelines of " + p.get("stages") + " stages"
                + (p.get("vfork") != 0 ? ", vfork" : ", fork");
    }

    public void generate(Map<String, Long> p, Consumer<Op> out) {
        long base = 0x300000;
        out.accept(new Op.Spawn("sh"));
        for (long i = 0; i < p.get("shell-vmas"); i++) {
            out.accept(new Op.Mmap("sh", base + 3 * i, 2, Prot.RW, MapKind.ANON));
            out.accept(new Op.Touch("sh", base + 3 * i, 2, true));
        }
        int n = 0;
        for (long pl = 0; pl < p.get("pipelines"); pl++) {
            List<String> stage = new ArrayList<>();
            for (long s = 0; s < p.get("stages"); s++) {
                String c = "cmd" + n++;
                out.accept(p.get("vfork") != 0 ? new Op.Vfork("sh", c) : new Op.Fork("sh", c));
                out.accept(new Op.Exec(c));
                for (long i = 0; i < p.get("cmd-vmas"); i++) {
                    out.accept(new Op.Mmap(c, 0x400000 + 3 * i, 2, Prot.RW, MapKind.ANON));
                    out.accept(new Op.Touch(c, 0x400000 + 3 * i, 2, true));
                }
                stage.add(c);
            }
            for (String c : stage) out.accept(new Op.Exit(c));
        }
    }
}
