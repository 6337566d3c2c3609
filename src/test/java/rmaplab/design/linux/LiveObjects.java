package rmaplab.design.linux;

/**
 * How many of the linux design's objects are live, by kernel struct:
 * anon_vma, anon_vma_chain and vm_area_struct. A test states a count or a
 * change with the named factories, in this order, and the compiler holds it
 * to the order:
 *
 * <pre>
 * s.assertLive(anonVmas(1), avcs(3), vmas(3));
 * s.assertChange(before, anonVmas(0), avcs(+1), vmas(0));
 * </pre>
 *
 * A failure prints the records with their names, e.g.
 * {@code LiveObjects[anonVmas=1, avcs=2, vmas=2]}.
 */
record LiveObjects(long anonVmas, long avcs, long vmas) {
    /** A number of anon_vma objects. */
    record AnonVmas(long n) {}

    /** A number of anon_vma_chain objects (AVCs). */
    record Avcs(long n) {}

    /** A number of vm_area_struct objects. */
    record Vmas(long n) {}

    static AnonVmas anonVmas(long n) { return new AnonVmas(n); }

    static Avcs avcs(long n) { return new Avcs(n); }

    static Vmas vmas(long n) { return new Vmas(n); }

    static LiveObjects of(AnonVmas a, Avcs c, Vmas v) { return new LiveObjects(a.n(), c.n(), v.n()); }

    /** The change from {@code before} to this. */
    LiveObjects minus(LiveObjects before) {
        return new LiveObjects(anonVmas - before.anonVmas, avcs - before.avcs, vmas - before.vmas);
    }
}
