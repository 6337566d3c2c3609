package rmaplab.design.lazy;

import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import rmaplab.ledger.ObjectLedger;
import rmaplab.sim.Vma;

/**
 * Reading (b)'s references on root VMAs: the walk of a lazy folio reads its
 * root's vm_start, vm_pgoff and vm_mm even after the root was removed from
 * its mm, so the root must stay allocated while anything names it. The
 * series has the means (rcuref_t vm_rcuref, and vma_put() where mainline
 * calls vm_area_free(), linux-mm/linux-mm @ 1aff34ad202e); who holds the
 * references is not in what could be read, so the model takes the least
 * that reading (b) needs: one per folio whose mapping names the root and one
 * per other VMA whose tag names it. A removed root still referenced is
 * charged as {@link #TYPE} until its last reference goes.
 */
final class HeldRoots {
    /** The object type of a removed root VMA kept by references: a vm_area_struct of its cache. */
    static final String TYPE = "vm_area_struct.held";

    /** References per root VMA (Vma has identity equality). */
    private final Object2IntOpenHashMap<Vma> refs = new Object2IntOpenHashMap<>();
    private final Set<Vma> held = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ObjectLedger objects;
    private final java.util.function.LongSupplier bytes;

    HeldRoots(ObjectLedger objects, java.util.function.LongSupplier vmaBytes) {
        this.objects = objects;
        this.bytes = vmaBytes;
        objects.declare(TYPE);
    }

    /** A new reference on {@code root}. */
    void get(Vma root) { refs.addTo(root, 1); }

    /** A reference on {@code root} goes; the last one frees a removed root. */
    void put(Vma root) {
        int n = refs.addTo(root, -1) - 1;
        if (n < 0) throw new IllegalStateException("reference count below zero: " + root);
        if (n > 0) return;
        refs.removeInt(root);
        if (held.remove(root)) objects.free(TYPE, bytes.getAsLong());
    }

    /** The VMA was removed from its mm (vma_put instead of vm_area_free): kept while referenced. */
    void removed(Vma v) {
        if (refs.getInt(v) > 0 && held.add(v)) objects.alloc(TYPE, bytes.getAsLong());
    }

    /** References on the VMA now (tests). */
    int refs(Vma v) { return refs.getInt(v); }

    /** Removed roots kept now (tests). */
    int held() { return held.size(); }
}
