package rmaplab.ledger;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The walk ledger of a finished run, as values: totals over every reverse
 * walk, and how many walks made each number of visits, hits and entries.
 *
 * @param entered          anon_vmas, COW contexts or mms entered, over all walks
 * @param repointPtes      page-table entries examined to re-point folios outside walks ({@link WalkLedger#repointed})
 * @param repointedFolios  folios whose folio->mapping was changed while mapped
 * @param visitHistogram   visits per walk → walks that made that many
 * @param hitHistogram     hits per walk → walks that found that many
 * @param enteredHistogram structures entered per walk → walks that entered that many
 */
public record WalkFigures(long walks, long visits, long hits, long steps, long entered, long missed, long phantoms,
                          long repointPtes, long repointedFolios,
                          SortedMap<Integer, Long> visitHistogram, SortedMap<Integer, Long> hitHistogram,
                          SortedMap<Integer, Long> enteredHistogram) {
    public static WalkFigures of(WalkLedger l) {
        return new WalkFigures(l.walks(), l.visits(), l.hits(), l.steps(), l.entered(), l.missed(), l.phantoms(),
                l.repointPtes(), l.repointedFolios(),
                copy(l.visitHistogram()), copy(l.hitHistogram()), copy(l.enteredHistogram()));
    }

    private static SortedMap<Integer, Long> copy(SortedMap<Integer, Long> m) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(m));
    }

    public double meanVisits() { return walks == 0 ? 0 : (double) visits / walks; }
    public double meanHits() { return walks == 0 ? 0 : (double) hits / walks; }
    public double meanSteps() { return walks == 0 ? 0 : (double) steps / walks; }
    public double meanEntered() { return walks == 0 ? 0 : (double) entered / walks; }

    /** The q-quantile (0 < q <= 1) of visits per walk, nearest rank, as {@link WalkLedger#visitQuantile}. */
    public int visitQuantile(double q) { return quantile(visitHistogram, q); }

    /** The q-quantile (0 < q <= 1) of structures entered per walk, nearest rank. */
    public int enteredQuantile(double q) { return quantile(enteredHistogram, q); }

    private int quantile(SortedMap<Integer, Long> h, double q) {
        if (walks == 0) return 0;
        long rank = (long) Math.ceil(q * walks);
        long seen = 0;
        for (var e : h.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) return e.getKey();
        }
        return h.lastKey();
    }

    public int maxVisits() { return walks == 0 ? 0 : visitHistogram.lastKey(); }

    public int maxHits() { return walks == 0 ? 0 : hitHistogram.lastKey(); }

    public int maxEntered() { return walks == 0 ? 0 : enteredHistogram.lastKey(); }
}
