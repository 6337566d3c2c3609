package rmaplab.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** "Did you mean": the names nearest a mistyped one (edit distance, as git's help.c ranks them). */
final class Suggest {
    private Suggest() {}

    /** The names at the smallest edit distance from {@code typed}, when that distance is small; else none. */
    static List<String> similar(String typed, Collection<String> names) {
        int best = Integer.MAX_VALUE;
        List<String> out = new ArrayList<>();
        for (String n : names) {
            int d = n.startsWith(typed) ? 1 : distance(typed, n);
            if (d < best) {
                best = d;
                out.clear();
            }
            if (d == best) out.add(n);
        }
        return best <= Math.max(2, typed.length() / 3) ? out : List.of();
    }

    /** Levenshtein distance, with a swap of two neighbours counting one (a typing slip). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++)
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        return d[a.length()][b.length()];
    }
}
