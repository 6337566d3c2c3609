package rmaplab.ledger;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The walk ledger of a finished run, as values: totals over every reverse
 * walk, and how many walks made each number of visits and hits.
 *
 * @param visitHistogram visits per walk → walks that made that many
 * @param hitHistogram   hits per walk → walks that found that many
 */
public record WalkFigures(long walks, long visits, long hits, long steps, long missed, long phantoms,
                          SortedMap<Integer, Long> visitHistogram, SortedMap<Integer, Long> hitHistogram) {
    public static WalkFigures of(WalkLedger l) {
        return new WalkFigures(l.walks(), l.visits(), l.hits(), l.steps(), l.missed(), l.phantoms(),
                Collections.unmodifiableSortedMap(new TreeMap<>(l.visitHistogram())),
                Collections.unmodifiableSortedMap(new TreeMap<>(l.hitHistogram())));
    }

    public double meanVisits() { return walks == 0 ? 0 : (double) visits / walks; }
    public double meanHits() { return walks == 0 ? 0 : (double) hits / walks; }
    public double meanSteps() { return walks == 0 ? 0 : (double) steps / walks; }

    /** The q-quantile (0 < q <= 1) of visits per walk, nearest rank, as {@link WalkLedger#visitQuantile}. */
    public int visitQuantile(double q) {
        if (walks == 0) return 0;
        long rank = (long) Math.ceil(q * walks);
        long seen = 0;
        for (var e : visitHistogram.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) return e.getKey();
        }
        return visitHistogram.lastKey();
    }

    public int maxVisits() { return walks == 0 ? 0 : visitHistogram.lastKey(); }

    public int maxHits() { return walks == 0 ? 0 : hitHistogram.lastKey(); }
}
