package rmaplab.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import rmaplab.ledger.ObjectFigures;
import rmaplab.sim.SlabCache;
import rmaplab.sim.SlabSizes;

/**
 * What the slab allocator charges for a run's rmap objects (docs/slab.md):
 * per cache the slot each object takes (for vm_area_struct the slot of the
 * struct as the design grows it), the active kilobytes the cover letter of
 * ANON_VMA_LAZY reports (live objects x slot / 1024, what /proc/slabinfo's
 * active_objs x objsize gives when every allocated object is live) and the
 * whole slabs that hold them.
 */
final class SlabFigures {
    private SlabFigures() {}

    /** The cache the object type stands for, grown as the design declared; null when it is not a slab cache of the profile. */
    static SlabCache cache(SlabSizes sizes, ObjectFigures.Type t) {
        SlabCache c = sizes.cache(t.name());
        return c == null ? null : c.grown(t.growth());
    }

    /** live x slot / 1024. */
    static double activeKb(SlabCache c, long live) { return c.activeBytes(live) / 1024.0; }

    /** The figures a run document's object type gains (README, JSON output), in this order. */
    static Map<String, Object> json(SlabCache c, ObjectFigures.Type t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("struct_growth", t.growth());
        m.put("object_size", c.objectSize());
        m.put("slot_bytes", c.slot());
        m.put("active_kb", Math.round(activeKb(c, t.live()) * 1000) / 1000.0);
        m.put("slabs", c.slabs(t.live()));
        m.put("slab_kb", c.slabBytes(t.live()) / 1024);
        m.put("peak_active_kb", Math.round(activeKb(c, t.peak()) * 1000) / 1000.0);
        return m;
    }

    /** The machine's caches (a run document's machine.object_sizes.caches). */
    static Map<String, Object> caches(SlabSizes sizes) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (SlabCache c : sizes.caches()) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("object_size", c.objectSize());
            g.put("used", c.used());
            g.put("align", c.align());
            g.put("slot", c.slot());
            g.put("objs_per_slab", c.objsPerSlab());
            g.put("slab_bytes", c.slabBytes());
            m.put(c.name(), g);
        }
        return m;
    }

    /** A table cell: "20426.4 KiB (163411 x 128 B)". */
    static String cell(SlabCache c, long live) {
        return String.format(Locale.ROOT, "%.1f KiB (%d x %d B)", activeKb(c, live), live, c.slot());
    }

    /** What the slab charges for a growth of the struct: "192 B (+2 B fit)", "256 B (+9 B: a larger slot)". */
    static String growthCell(SlabCache base, ObjectFigures.Type t) {
        SlabCache g = base.grown(t.growth());
        if (t.growth() == 0) return g.slot() + " B";
        return g.slot() + " B (+" + t.growth() + " B" + (g.slot() == base.slot() ? " fits the padding)" : ": a larger slot)");
    }
}
