package rmaplab.race;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A schedule as the switches it makes: at scheduling point P, task T runs
 * (when T may); at every other point the non-preemptive choice is taken (the
 * task that ran last goes on if it may, else the first enabled task in the
 * group's order). The empty schedule runs each task as far as it can go.
 */
public record Schedule(TreeMap<Integer, String> switches) {
    public static Schedule none() { return new Schedule(new TreeMap<>()); }

    public Schedule with(int point, String task) {
        TreeMap<Integer, String> m = new TreeMap<>(switches);
        m.put(point, task);
        return new Schedule(m);
    }

    public Schedule without(int point) {
        TreeMap<Integer, String> m = new TreeMap<>(switches);
        m.remove(point);
        return new Schedule(m);
    }

    public int size() { return switches.size(); }

    /** The chooser that follows this schedule; {@code ignored} collects switches whose task could not run. */
    Chooser chooser(List<Integer> ignored) {
        return (point, enabled, last) -> {
            String t = switches.get(point);
            if (t != null && enabled.contains(t)) return t;
            if (t != null && ignored != null) ignored.add(point);
            return Chooser.byDefault(enabled, last);
        };
    }

    /** The switches a run made, read back from the choices: the points where it did not take the default. */
    static Schedule of(List<String> defaults, List<String> chosen) {
        TreeMap<Integer, String> m = new TreeMap<>();
        for (int p = 0; p < chosen.size(); p++) if (!chosen.get(p).equals(defaults.get(p))) m.put(p, chosen.get(p));
        return new Schedule(m);
    }

    @Override public String toString() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Integer, String> e : switches.entrySet()) b.append(b.isEmpty() ? "" : " ").append(e.getKey()).append(':').append(e.getValue());
        return b.isEmpty() ? "(none)" : b.toString();
    }
}
