package rmaplab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rmaplab.race.Execution;
import rmaplab.race.Explorer;
import rmaplab.race.Race;
import rmaplab.race.RaceFile;
import rmaplab.race.Schedule;
import rmaplab.report.Output;
import rmaplab.report.RaceText;
import rmaplab.rmap.Designs;
import rmaplab.workload.WorkloadException;

@Command(name = "race", mixinStandardHelpOptions = true,
        description = "Explore the interleavings of the ops a race workload runs together ('together' ... 'end'), "
                + "each design under its own locking, and check every walk for missed mappings, use-after-free, "
                + "data races, deadlock and sleeping in RCU (docs/races.md).",
        footer = {"", "Exit status: 0 clean, 1 a violation (its counterexample is printed), 2 bad input.",
                "Example: rmaplab race examples/race/*.rmw --design linux --exhaustive",
                "         rmaplab race examples/race/split-vs-walk.rmw --design linux --bug own-lock --exhaustive"})
final class RaceCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Race workloads (the workload format with together groups).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--design", paramLabel = "NAME", description = "A design to explore (repeatable). Default: every design.")
    List<String> designs = new ArrayList<>();

    @Option(names = "--bug", paramLabel = "OPTION", description = "Put a rule of the linux model back to before its fix "
            + "(repeatable): degree (2555283eb40d, CVE-2022-42703), prepare-unlocked (d9d332e0874f), own-lock (012f18004da3).")
    List<String> bugs = new ArrayList<>();

    @Option(names = "--exhaustive", description = "Every schedule with at most --bound switches (the default mode).")
    boolean exhaustive;

    @Option(names = "--bound", paramLabel = "K", description = "Switches per schedule for --exhaustive (default: ${DEFAULT-VALUE}).")
    int bound = 2;

    @Option(names = "--schedules", paramLabel = "N", description = "With --exhaustive: at most N schedules (default 20000). "
            + "Alone: N random schedules (PCT).")
    Integer schedules;

    @Option(names = "--depth", paramLabel = "D", description = "PCT depth: D-1 priority change points (default: ${DEFAULT-VALUE}).")
    int depth = 3;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the PCT schedules (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--replay", paramLabel = "FILE", description = "Replay a counterexample step by step.")
    Path replay;

    @Option(names = "--save", paramLabel = "FILE", description = "Write the first counterexample found to FILE.")
    Path save;

    @Override public Integer call() {
        if (replay != null) return replay();
        if (files.isEmpty()) {
            System.err.println("rmaplab: race: give a FILE or --replay FILE");
            return Main.BAD_INPUT;
        }
        boolean pct = schedules != null && !exhaustive;
        if (bound < 0 || depth < 1 || (schedules != null && schedules < 1)) {
            System.err.println("rmaplab: race: --bound must be 0 or more, --depth and --schedules 1 or more");
            return Main.BAD_INPUT;
        }
        // a clairvoyant design knows the forks to come in file order, which an interleaving changes: not explored
        List<String> names = designs.isEmpty() ? new ArrayList<>(Designs.all().values().stream().filter(d -> !d.clairvoyant())
                .map(d -> d.name()).toList()) : designs;
        for (String d : names) {
            if (Designs.all().containsKey(d) && Designs.get(d).clairvoyant()) {
                System.err.println("rmaplab: race: " + d + " needs the workload's future forks in file order, which an "
                        + "interleaving changes: it is not explored");
                return Main.BAD_INPUT;
            }
        }
        try {
            for (String d : names) Race.factory(d, bugs);
        } catch (IllegalArgumentException e) {
            System.err.println("rmaplab: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        List<RaceFile> read = new ArrayList<>();
        for (Path p : files) {
            try {
                RaceFile f = RaceFile.read(p);
                Race.validate(f);
                if (!f.hasGroups()) throw new WorkloadException(p.toString(), 0, "no 'together' group: nothing runs concurrently");
                read.add(f);
            } catch (WorkloadException e) {
                System.err.println(e.getMessage());
                return Main.BAD_INPUT;
            } catch (NoSuchFileException e) {
                System.err.println("rmaplab: " + p + ": no such file");
                return Main.BAD_INPUT;
            } catch (IOException e) {
                System.err.println("rmaplab: " + p + ": " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
        boolean tty = System.console() != null;
        StringBuilder out = new StringBuilder(RaceText.header());
        Map<String, Map<String, long[]>> contention = new LinkedHashMap<>();
        Map<String, Integer> chains = new LinkedHashMap<>();
        String firstCounterexample = null;
        List<String> failures = new ArrayList<>();
        for (String d : names) {
            String label = Race.label(d, bugs);
            for (RaceFile f : read) {
                IntConsumer progress = tty ? n -> {
                    if (n % 50 == 0) System.err.print("\rrace: " + f.name() + " " + label + ": " + n + " schedules");
                } : null;
                Explorer ex = new Explorer(f, Race.factory(d, bugs), progress);
                Explorer.Result r = pct ? ex.pct(schedules, depth, seed) : ex.bounded(bound, schedules == null ? 20000 : schedules);
                if (tty) System.err.print("\r\033[K");
                out.append(RaceText.line(f.name(), label, r));
                Map<String, long[]> c = contention.computeIfAbsent(label, k -> new LinkedHashMap<>());
                r.contention().forEach((k, v) -> {
                    long[] a = c.computeIfAbsent(k, x -> new long[2]);
                    a[0] += v[0];
                    a[1] += v[1];
                });
                chains.merge(label, r.longestWaitChain(), Math::max);
                if (!r.clean()) {
                    StringBuilder fb = new StringBuilder();
                    fb.append(f.name()).append(", ").append(label).append(":\n").append(RaceText.violations(r.violations()));
                    if (r.shrunk() != null) {
                        String ce = Race.counterexample(f, d, bugs, r);
                        if (firstCounterexample == null) firstCounterexample = ce;
                        fb.append("  counterexample (").append(r.shrunk().size()).append(" switch(es)):\n");
                        for (String l : ce.split("\n")) fb.append("    ").append(l).append('\n');
                    }
                    failures.add(fb.toString());
                }
            }
        }
        out.append('\n').append(RaceText.contention(contention, chains));
        if (!failures.isEmpty()) {
            out.append("\nViolations (first per file and design; the counterexample replays with --replay):\n");
            for (String s : failures) out.append(s);
        }
        Output.print(out.toString());
        if (save != null && firstCounterexample != null) {
            try {
                Files.writeString(save, firstCounterexample);
            } catch (IOException e) {
                System.err.println("rmaplab: " + save + ": " + e.getMessage());
                return Main.OUTPUT_FAILED;
            }
        }
        return failures.isEmpty() ? Main.OK : Main.VIOLATION;
    }

    private int replay() {
        RaceFile f;
        try {
            f = RaceFile.read(replay);
            Race.validate(f);
        } catch (WorkloadException e) {
            System.err.println(e.getMessage());
            return Main.BAD_INPUT;
        } catch (NoSuchFileException e) {
            System.err.println("rmaplab: " + replay + ": no such file");
            return Main.BAD_INPUT;
        } catch (IOException e) {
            System.err.println("rmaplab: " + replay + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        String design = f.design() != null ? f.design() : designs.isEmpty() ? "linux" : designs.get(0);
        List<String> b = f.bugs().isEmpty() ? bugs : f.bugs();
        Explorer ex;
        try {
            ex = new Explorer(f, Race.factory(design, b), null);
        } catch (IllegalArgumentException e) {
            System.err.println("rmaplab: " + replay + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        Execution run = ex.replay(new Schedule(f.switches()));
        StringBuilder out = new StringBuilder();
        out.append("replay of ").append(f.name()).append(", design ").append(Race.label(design, b)).append(", switches ")
                .append(new Schedule(f.switches())).append("\n\n");
        out.append(RaceText.steps(run.trace()));
        out.append('\n');
        if (run.violations().isEmpty()) out.append("no violation in this schedule\n");
        else out.append("violations:\n").append(RaceText.violations(run.violations()));
        Output.print(out.toString());
        return run.violations().isEmpty() ? Main.OK : Main.VIOLATION;
    }
}
