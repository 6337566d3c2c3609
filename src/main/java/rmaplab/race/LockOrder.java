package rmaplab.race;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The lock-order graph (edges "A -> B": B taken while A was held): its first cycle, as lockdep would report it. */
final class LockOrder {
    private LockOrder() {}

    /** A cycle as "A -> B (task in fn), B -> A (...)", or null. */
    static String cycle(Map<String, String> edges) {
        Map<String, List<String>> out = new HashMap<>();
        for (String e : edges.keySet()) {
            String[] ab = e.split(" -> ");
            out.computeIfAbsent(ab[0], k -> new ArrayList<>()).add(ab[1]);
        }
        Set<String> done = new HashSet<>();
        for (String start : out.keySet()) {
            List<String> path = new ArrayList<>();
            String c = dfs(start, out, path, new HashSet<>(), done, edges);
            if (c != null) return c;
        }
        return null;
    }

    private static String dfs(String n, Map<String, List<String>> out, List<String> path, Set<String> onPath, Set<String> done,
                              Map<String, String> edges) {
        if (onPath.contains(n)) {
            List<String> l = new ArrayList<>();
            int i = path.indexOf(n);
            for (int j = i; j < path.size(); j++) {
                String a = path.get(j), b = j + 1 < path.size() ? path.get(j + 1) : n;
                l.add(a + " -> " + b + " (" + edges.get(a + " -> " + b) + ")");
            }
            return String.join(", ", l);
        }
        if (!done.add(n)) return null;
        onPath.add(n);
        path.add(n);
        for (String m : out.getOrDefault(n, List.of())) {
            String c = dfs(m, out, path, onPath, done, edges);
            if (c != null) return c;
        }
        path.remove(path.size() - 1);
        onPath.remove(n);
        return null;
    }
}
