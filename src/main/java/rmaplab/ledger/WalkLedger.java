package rmaplab.ledger;

import it.unimi.dsi.fastutil.ints.Int2LongRBTreeMap;
import it.unimi.dsi.fastutil.ints.Int2LongSortedMap;

/**
 * Reverse walks: per walked folio, the VMAs (or contexts) the design
 * examined ("visits"), the real mappings among them ("hits", which equal the
 * folio's mapcount when the walk is correct) and the design's structural
 * steps (tree nodes, list entries, remap entries).
 */
public final class WalkLedger {
    private long walks, visits, hits, steps, missed, phantoms;
    private final Int2LongSortedMap visitHistogram = new Int2LongRBTreeMap();
    private final Int2LongSortedMap hitHistogram = new Int2LongRBTreeMap();

    public void record(int visits, int hits, long steps, int missed, int phantoms) {
        this.walks++;
        this.visits += visits;
        this.hits += hits;
        this.steps += steps;
        this.missed += missed;
        this.phantoms += phantoms;
        visitHistogram.mergeLong(visits, 1, Long::sum);
        hitHistogram.mergeLong(hits, 1, Long::sum);
    }

    public long walks() { return walks; }
    public long visits() { return visits; }
    public long hits() { return hits; }
    public long steps() { return steps; }
    public long missed() { return missed; }
    public long phantoms() { return phantoms; }

    public double meanVisits() { return walks == 0 ? 0 : (double) visits / walks; }
    public double meanHits() { return walks == 0 ? 0 : (double) hits / walks; }
    public double meanSteps() { return walks == 0 ? 0 : (double) steps / walks; }

    /** The q-quantile (0 < q <= 1) of visits per walk, nearest rank. */
    public int visitQuantile(double q) { return quantile(visitHistogram, q); }

    public int maxVisits() { return walks == 0 ? 0 : visitHistogram.lastIntKey(); }

    public int maxHits() { return walks == 0 ? 0 : hitHistogram.lastIntKey(); }

    /** Visits per walk → walks that made that many (for {@link WalkFigures}). */
    Int2LongSortedMap visitHistogram() { return visitHistogram; }

    /** Hits per walk → walks that found that many (for {@link WalkFigures}). */
    Int2LongSortedMap hitHistogram() { return hitHistogram; }

    private int quantile(Int2LongSortedMap h, double q) {
        if (walks == 0) return 0;
        long rank = (long) Math.ceil(q * walks);
        long seen = 0;
        for (var e : h.int2LongEntrySet()) {
            seen += e.getLongValue();
            if (seen >= rank) return e.getIntKey();
        }
        return h.lastIntKey();
    }
}
