package rmaplab.report;

import java.util.List;
import java.util.Map;
import rmaplab.race.Explorer;
import rmaplab.race.RaceViolation;
import rmaplab.race.Step;

/** The text of {@code rmaplab race}: one line per file and design, the contention table, replayed steps. */
public final class RaceText {
    private RaceText() {}

    public static String header() {
        return String.format("%-36s %-22s %-30s %9s  %s%n", "file", "design", "exploration", "schedules", "verdict");
    }

    public static String line(String file, String design, Explorer.Result r) {
        String verdict = r.clean() ? "clean" : r.violations().get(0).kind().label.toUpperCase();
        String sched = r.schedules() + (r.complete() && r.clean() ? " all" : "");
        return String.format("%-36s %-22s %-30s %9s  %s%n", shorten(file, 36), shorten(design, 22), shorten(r.mode(), 30), sched, verdict);
    }

    /** The start of a text that does not fit (a function name's start says most). */
    static String cut(String s, int w) { return s.length() <= w ? s : s.substring(0, w - 3) + "..."; }

    static String shorten(String s, int w) { return s.length() <= w ? s : "..." + s.substring(s.length() - w + 3); }

    /** Contention per design and lock class, summed over the schedules explored. */
    public static String contention(Map<String, Map<String, long[]>> byDesign, Map<String, Integer> chains) {
        StringBuilder b = new StringBuilder();
        b.append("Contention over the schedules explored (conflicts between steps, not time): a wait is a lock attempt\n")
                .append("that found the lock held by another task; chain: the longest chain of tasks waiting on each other.\n");
        b.append(String.format("%-22s %-16s %12s %10s %7s%n", "design", "lock class", "acquisitions", "waits", "chain"));
        byDesign.forEach((d, m) -> m.forEach((c, a) -> b.append(String.format("%-22s %-16s %12d %10d %7s%n", shorten(d, 22), c, a[0],
                a[1], c.equals(m.keySet().iterator().next()) ? String.valueOf(chains.getOrDefault(d, 0)) : ""))));
        return b.toString();
    }

    public static String violations(List<RaceViolation> vs) {
        StringBuilder b = new StringBuilder();
        for (RaceViolation v : vs) b.append("  ").append(v).append('\n');
        return b.toString();
    }

    /** The replayed schedule, one step per line: point, task, kernel function, what it did, locks held after. */
    public static String steps(List<Step> steps) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%5s  %-5s %-34s %-32s %s%n", "point", "task", "kernel function", "step", "held after"));
        for (Step s : steps)
            b.append(String.format("%5d  %-5s %-34s %-32s %s%n", s.point(), shorten(s.task(), 5), cut(s.fn(), 34),
                    cut(s.event(), 32), s.held()));
        return b.toString();
    }
}
