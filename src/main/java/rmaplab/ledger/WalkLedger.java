package rmaplab.ledger;

import it.unimi.dsi.fastutil.ints.Int2LongRBTreeMap;
import it.unimi.dsi.fastutil.ints.Int2LongSortedMap;

/**
 * Reverse walks: per walked folio, the VMAs (or contexts) the design
 * examined ("visits"), the real mappings among them ("hits", which equal the
 * folio's mapcount when the walk is correct), the design's structural
 * steps (tree nodes, list entries, remap entries) and the shared structures
 * it entered to find VMAs ("entered": anon_vmas, COW contexts, mms searched
 * by address), each with its distribution over the walks.
 */
public final class WalkLedger {
    private long walks, visits, hits, steps, entered, missed, phantoms;
    private long repointPtes, repointedFolios;
    private final Int2LongSortedMap visitHistogram = new Int2LongRBTreeMap();
    private final Int2LongSortedMap hitHistogram = new Int2LongRBTreeMap();
    private final Int2LongSortedMap enteredHistogram = new Int2LongRBTreeMap();

    public void record(int visits, int hits, long steps, int entered, int missed, int phantoms) {
        this.walks++;
        this.visits += visits;
        this.hits += hits;
        this.steps += steps;
        this.entered += entered;
        this.missed += missed;
        this.phantoms += phantoms;
        visitHistogram.mergeLong(visits, 1, Long::sum);
        hitHistogram.mergeLong(hits, 1, Long::sum);
        enteredHistogram.mergeLong(entered, 1, Long::sum);
    }

    /**
     * Rmap upkeep outside walks: a design that changes folio->mapping of folios
     * already mapped (an upgrade at fork, a re-point at split or move) examines
     * {@code ptes} page-table entries and re-points {@code folios} folios.
     */
    public void repointed(long ptes, long folios) {
        repointPtes += ptes;
        repointedFolios += folios;
    }

    public long repointPtes() { return repointPtes; }
    public long repointedFolios() { return repointedFolios; }

    public long walks() { return walks; }
    public long visits() { return visits; }
    public long hits() { return hits; }
    public long steps() { return steps; }
    public long entered() { return entered; }
    public long missed() { return missed; }
    public long phantoms() { return phantoms; }

    public double meanVisits() { return walks == 0 ? 0 : (double) visits / walks; }
    public double meanHits() { return walks == 0 ? 0 : (double) hits / walks; }
    public double meanSteps() { return walks == 0 ? 0 : (double) steps / walks; }
    public double meanEntered() { return walks == 0 ? 0 : (double) entered / walks; }

    /** The q-quantile (0 < q <= 1) of visits per walk, nearest rank. */
    public int visitQuantile(double q) { return quantile(visitHistogram, q); }

    /** The q-quantile (0 < q <= 1) of structures entered per walk, nearest rank. */
    public int enteredQuantile(double q) { return quantile(enteredHistogram, q); }

    public int maxEntered() { return walks == 0 ? 0 : enteredHistogram.lastIntKey(); }

    public int maxVisits() { return walks == 0 ? 0 : visitHistogram.lastIntKey(); }

    public int maxHits() { return walks == 0 ? 0 : hitHistogram.lastIntKey(); }

    /** Visits per walk → walks that made that many (for {@link WalkFigures}). */
    Int2LongSortedMap visitHistogram() { return visitHistogram; }

    /** Hits per walk → walks that found that many (for {@link WalkFigures}). */
    Int2LongSortedMap hitHistogram() { return hitHistogram; }

    /** Structures entered per walk → walks that entered that many (for {@link WalkFigures}). */
    Int2LongSortedMap enteredHistogram() { return enteredHistogram; }

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
