package rmaplab.design.cowctx;

import rmaplab.ledger.ObjectLedger;

/**
 * Charges the object ledger for folio->cow_context as its {@link ContextCost}
 * says: nothing ({@link ContextCost#MAPPING}); one 8-byte pointer per live
 * anonymous folio ({@link ContextCost#ANON_FOLIO}); or 8 bytes of struct page
 * per page frame, counted as the most anonymous folios live at once and never
 * given back, since a frame keeps its struct page when the folio in it is
 * freed ({@link ContextCost#STRUCT_PAGE}).
 */
final class ContextCharge {
    /** folio->cow_context, per live anonymous folio. */
    static final String FOLIO_CTX_PTR = "folio_ctx_ptr";
    /** struct page's growth, per page frame. */
    static final String STRUCT_PAGE_GROWTH = "struct_page.cow_context";

    private final ContextCost cost;
    private final ObjectLedger objects;
    private long live, framesCharged;

    ContextCharge(ContextCost cost, ObjectLedger objects) {
        this.cost = cost;
        this.objects = objects;
        switch (cost) {
            case ANON_FOLIO -> objects.declare(FOLIO_CTX_PTR);
            case STRUCT_PAGE -> objects.declare(STRUCT_PAGE_GROWTH);
            case MAPPING -> { }
        }
    }

    ContextCost cost() { return cost; }

    /** A new anonymous folio (fault, CoW copy, migration target) holds a context pointer. */
    void folioMade() {
        live++;
        if (cost == ContextCost.ANON_FOLIO) objects.alloc(FOLIO_CTX_PTR, cost.bytes);
        if (cost == ContextCost.STRUCT_PAGE && live > framesCharged) { // one frame more than ever before
            framesCharged++;
            objects.alloc(STRUCT_PAGE_GROWTH, cost.bytes);
        }
    }

    /** An anonymous folio is freed: its pointer goes with it; a struct page stays with its frame. */
    void folioGone() {
        live--;
        if (cost == ContextCost.ANON_FOLIO) objects.free(FOLIO_CTX_PTR, cost.bytes);
    }
}
