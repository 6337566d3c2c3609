package rmaplab.design.cowctx;

/**
 * What the PoC's per-folio context pointer, {@code folio->cow_context}, costs:
 * a stated parameter, because where the PoC keeps the field was not found
 * (docs/designs/cowctx.md, section 3: the only readable struct folio of the
 * branch predates it, and an order-0 folio has no spare word). The PoC's
 * rmap.c (@ d91a1a12) writes only FOLIO_MAPPING_ANON into folio->mapping and
 * the context into a field of its own.
 */
public enum ContextCost {
    /**
     * 0 bytes: the pointer lives in folio->mapping, tagged with
     * FOLIO_MAPPING_ANON as the anon_vma pointer is today. The PoC leaves that
     * word holding only the flag, so it is free; the PoC does not do this.
     */
    MAPPING("in folio->mapping", 0),
    /**
     * 8 bytes per live anonymous folio: what the model charged from the start.
     * No kernel mechanism gives per-folio storage to anonymous folios only at
     * this price; it lies between the two others.
     */
    ANON_FOLIO("8 bytes per live anonymous folio", 8),
    /**
     * struct page grows from 64 to 72 bytes, the only way a field of its own
     * fits an order-0 folio: 8 bytes for every page frame of memory,
     * anonymous or not, used or free (2 MiB per GiB of RAM). The simulated
     * machine has no RAM size, so the model charges the frames the workload's
     * anonymous memory needed at its peak, and keeps them: a lower bound.
     */
    STRUCT_PAGE("struct page +8 bytes (charged per frame of the anonymous peak, a lower bound)", 8);

    final String description;
    final long bytes;

    ContextCost(String description, long bytes) {
        this.description = description;
        this.bytes = bytes;
    }
}
