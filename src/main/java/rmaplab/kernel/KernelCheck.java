package rmaplab.kernel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import rmaplab.ledger.ObjectFigures;
import rmaplab.rmap.DesignInfo;
import rmaplab.rmap.Designs;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.Mm;
import rmaplab.sim.Pte;
import rmaplab.sim.Task;
import rmaplab.workload.WorkloadException;

/**
 * Compares the `linux` design on the simulated kernel with the live kernel on
 * one workload: objects of each kind (live at the measurement point, and
 * allocated over the run: the workload's probe run minus its skeleton's, so
 * that the probe's own objects cancel), every present page (which pages share
 * a frame, and each frame's mapcount), and the errors returned.
 */
public final class KernelCheck {
    private KernelCheck() {}

    /** Model and kernel figures for one object kind. */
    public record Objects(String kind, long modelLive, long kernelLive, long modelAllocated, long kernelAllocated) {
        public boolean equal() { return modelLive == kernelLive && modelAllocated == kernelAllocated; }
    }

    /**
     * The result for one file.
     *
     * @param pageProblems the first differences in the page comparison (empty when equal)
     * @param backgroundAnonVmaFrees anon_vma frees by kernel threads anywhere during both probe runs;
     *        when non-zero, some of ours may have been freed outside the counted cgroup
     */
    public record Result(String file, String method, boolean zeroPage, List<Objects> objects, long pages,
                         int addressSpaces, List<String> pageProblems, Map<String, Long> modelErrors,
                         Map<String, Long> kernelErrors, boolean oracleOk, long backgroundAnonVmaFrees) {
        public boolean pagesEqual() { return pageProblems.isEmpty(); }

        public boolean errorsEqual() { return modelErrors.equals(kernelErrors); }

        public boolean equal() {
            return objects.stream().allMatch(Objects::equal) && pagesEqual() && errorsEqual() && oracleOk;
        }
    }

    public static Result check(Probe probe, Path file, boolean zeroPage) throws IOException, WorkloadException, ProbeUnavailableException {
        MachineConfig cfg = MachineConfig.defaults().withZeroPage(zeroPage).withCommitLimit(liveCommitLimit());
        OpSource src = OpSource.file(file);
        Runner.validate(src, cfg);
        // the page comparison needs the model's machine at the end, which a RunResult does not keep
        DesignInfo linux = Designs.get("linux");
        Machine[] machine = new Machine[1];
        RunResult model = Runner.run(src, new DesignInfo(linux.name(), linux.description(), linux.order(), linux.clairvoyant(),
                linux.flawed(), ctx -> {
            machine[0] = ctx.machine();
            return linux.factory().apply(ctx);
        }), cfg, CheckMode.END);
        ProbeResult w = probe.run(file, false);
        ProbeResult s = probe.run(file, true);
        List<Objects> objs = new ArrayList<>();
        for (String k : Probe.KINDS) {
            ObjectFigures.Type t = model.ledgers().objects().types().get(k);
            long kAlloc = w.alloc().get(k) - s.alloc().get(k);
            long kLive = (w.alloc().get(k) - w.free().get(k)) - (s.alloc().get(k) - s.free().get(k));
            objs.add(new Objects(k, t == null ? 0 : t.live(), kLive, t == null ? 0 : t.allocated(), kAlloc));
        }
        Map<String, Long> modelErrors = new TreeMap<>(model.errors());
        List<String> problems = new ArrayList<>();
        int[] spaces = {0};
        long pages = comparePages(machine[0], w.pages(), problems, spaces);
        return new Result(file.toString(), w.method(), zeroPage, objs, pages, spaces[0], problems, modelErrors,
                new TreeMap<>(w.errors()), model.ok(), w.backgroundAnonVmaFrees() + s.backgroundAnonVmaFrees());
    }

    /**
     * The live machine's commit limit under vm.overcommit_memory 0, in pages: totalram_pages() +
     * total_swap_pages, which /proc/meminfo shows as MemTotal and SwapTotal (kB). The model is given
     * it so that a mapping larger than the machine's memory fails in both (ENOMEM). Unreadable:
     * unlimited (the probe, which needs /proc, cannot run then anyway).
     */
    static long liveCommitLimit() {
        long kb = 0;
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/meminfo"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && (f[0].equals("MemTotal:") || f[0].equals("SwapTotal:"))) kb += Long.parseLong(f[1]);
            }
        } catch (IOException | NumberFormatException e) {
            return MachineConfig.UNLIMITED;
        }
        return kb == 0 ? MachineConfig.UNLIMITED : kb / 4;
    }

    private record Key(int mm, long vpage) {}

    private record Seen(String frame, long mapcount, String kind) {}

    /**
     * Checks that the same pages are present in the same address spaces, of
     * the same kind, that two pages share a frame in the kernel exactly when
     * they do in the model, and that every frame's mapcount agrees. Returns
     * the number of present pages compared.
     */
    static long comparePages(Machine m, List<ProbeResult.Page> kernel, List<String> problems, int[] spaces) {
        Map<Key, Seen> model = new HashMap<>();
        Map<Integer, Mm> seenMms = new LinkedHashMap<>();
        for (Task t : m.liveTasks()) seenMms.putIfAbsent(t.mm().id(), t.mm());
        spaces[0] = seenMms.size();
        for (Mm mm : seenMms.values())
            mm.pageTable().forEach(0, Long.MAX_VALUE, (vp, pte) -> {
                String frame;
                long mc;
                String kind;
                switch (Pte.type(pte)) {
                    case Pte.ANON -> {
                        frame = "anon#" + Pte.id(pte);
                        mc = m.folios().mapcount(Pte.id(pte));
                        kind = "anon";
                    }
                    case Pte.FILE -> {
                        frame = "file#" + Pte.id(pte);
                        mc = m.pageCache().mapcount(Pte.id(pte));
                        kind = "file";
                    }
                    default -> {
                        frame = "zero";
                        mc = -1;
                        kind = "zero";
                    }
                }
                model.put(new Key(mm.id(), vp), new Seen(frame, mc, kind));
            });
        Map<Key, Seen> live = new HashMap<>();
        for (ProbeResult.Page p : kernel) {
            Task t = m.task(p.task());
            if (t == null) {
                note(problems, "the kernel shows task " + p.task() + " alive; the model does not");
                continue;
            }
            live.put(new Key(t.mm().id(), p.vpage()), new Seen("pfn#" + p.pfn(), p.kind().equals("zero") ? -1 : p.mapcount(), p.kind()));
        }
        Map<String, String> modelToKernel = new HashMap<>(), kernelToModel = new HashMap<>();
        for (var e : model.entrySet()) {
            Seen a = e.getValue(), b = live.get(e.getKey());
            String where = "mm of " + owner(m, e.getKey().mm()) + " page 0x" + Long.toHexString(e.getKey().vpage());
            if (b == null) {
                note(problems, where + ": present in the model (" + a.kind() + "), not in the kernel");
                continue;
            }
            if (!a.kind().equals(b.kind())) note(problems, where + ": model " + a.kind() + ", kernel " + b.kind());
            if (a.mapcount() != b.mapcount()) note(problems, where + ": mapcount model " + a.mapcount() + ", kernel " + b.mapcount());
            if (!a.kind().equals("zero")) {
                String k = modelToKernel.putIfAbsent(a.frame(), b.frame()), mm = kernelToModel.putIfAbsent(b.frame(), a.frame());
                if ((k != null && !k.equals(b.frame())) || (mm != null && !mm.equals(a.frame())))
                    note(problems, where + ": shares its frame with other pages in one and not in the other");
            }
        }
        for (Key k : live.keySet())
            if (!model.containsKey(k))
                note(problems, "mm of " + owner(m, k.mm()) + " page 0x" + Long.toHexString(k.vpage()) + ": present in the kernel ("
                        + live.get(k).kind() + "), not in the model");
        return model.size();
    }

    private static String owner(Machine m, int mmId) {
        for (Task t : m.liveTasks()) if (t.mm().id() == mmId) return t.name();
        return "?";
    }

    private static void note(List<String> problems, String s) {
        if (problems.size() < 10) problems.add(s);
        else if (problems.size() == 10) problems.add("...");
    }

    static boolean same(Object a, Object b) { return java.util.Objects.equals(a, b); }
}
