package rmaplab.design.cowctx;

import static org.junit.jupiter.api.Assertions.*;
import static rmaplab.design.cowctx.Support.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.ledger.ObjectFigures;
import rmaplab.rmap.Designs;
import rmaplab.run.Ran;
import rmaplab.testing.Scenario;
import rmaplab.workload.Op;

/**
 * The three costs of folio->cow_context (ContextCost): the same run under
 * each, differing only in what the pointer is charged: three anonymous
 * folios live at the peak, two at the end, four made in all.
 */
class CowCtxContextCostTest {
    /** P writes 3 pages (3 folios), unmaps one (2 live), forks C, C writes one page (a CoW copy: 3 live). */
    private static final List<Op> OPS = Scenario.ops("""
            rmaplab-workload 1
            P spawn
            P mmap 0x1000 0x3 rw- anon
            P touch 0x1000 0x3 write
            P munmap 0x1002 0x1
            P fork C
            C touch 0x1000 0x1 write
            C exit
            P walk 0x1000 0x2
            """);

    private static ObjectFigures.Type type(Ran r, String t) { return r.ledgers().objects().types().get(t); }

    @Test
    void eachCostChargesThePointerItsOwnWay() {
        Ran folio = run(OPS, "cowctx-fixed"), mapping = run(OPS, "cowctx-fixed-mapping"), page = run(OPS, "cowctx-fixed-page");
        for (Ran r : List.of(folio, mapping, page)) assertTrue(r.ok(), r.design() + ": " + r.violations());
        // 8 bytes per live anonymous folio: 3 made, 1 freed by munmap, the CoW copy made and freed with C
        assertEquals(2, type(folio, ContextCharge.FOLIO_CTX_PTR).live());
        assertEquals(16, type(folio, ContextCharge.FOLIO_CTX_PTR).liveBytes());
        assertEquals(3, type(folio, ContextCharge.FOLIO_CTX_PTR).peak());
        assertEquals(4, type(folio, ContextCharge.FOLIO_CTX_PTR).allocated());
        // in folio->mapping: nothing at all
        assertNull(type(mapping, ContextCharge.FOLIO_CTX_PTR));
        assertNull(type(mapping, ContextCharge.STRUCT_PAGE_GROWTH));
        // struct page: a frame for each folio live at the peak (3), kept when the folios go
        assertNull(type(page, ContextCharge.FOLIO_CTX_PTR));
        assertEquals(3, type(page, ContextCharge.STRUCT_PAGE_GROWTH).live());
        assertEquals(24, type(page, ContextCharge.STRUCT_PAGE_GROWTH).liveBytes());
        assertEquals(0, type(page, ContextCharge.STRUCT_PAGE_GROWTH).freed());
        // everything else is the same
        long rest = folio.ledgers().objects().liveBytes() - 16;
        assertEquals(rest, mapping.ledgers().objects().liveBytes());
        assertEquals(rest + 24, page.ledgers().objects().liveBytes());
        assertEquals(folio.ledgers().walks().visits(), page.ledgers().walks().visits());
    }

    @Test
    void theVariantsAreSoundAndSayTheirCost() {
        for (String d : List.of("cowctx-fixed", "cowctx-fixed-mapping", "cowctx-fixed-page")) {
            assertTrue(Designs.get(d).sound(), d);
            assertTrue(Designs.get(d).description().contains("folio->cow_context"), d);
        }
        assertEquals(ContextCost.ANON_FOLIO, design(run(OPS, "cowctx")).cost());
        assertTrue(Designs.get("cowctx").description().contains("a4ac1966"));
    }
}
