package rmaplab.sim;

/**
 * One reverse walk of one folio, as the simulated kernel saw it.
 *
 * @param folio    the folio walked
 * @param mapcount its real number of mappings (ground truth from the page tables)
 * @param visits   places the design examined
 * @param hits     distinct real mappings among them
 * @param steps    the design's structural steps
 * @param entered  anon_vmas, COW contexts or mms the walk entered ({@link WalkSink#entered})
 * @param phantoms visits to a VMA that no longer exists or to a page outside the VMA
 * @param firstPhantom a description of the first phantom visit, or null
 */
public record WalkResult(int folio, int mapcount, int visits, int hits, long steps, int entered, int phantoms, String firstPhantom) {
    public int missed() { return mapcount - hits; }

    public boolean ok() { return missed() == 0 && phantoms == 0; }
}
