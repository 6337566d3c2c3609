package rmaplab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A table keeps its layout when it fits, wraps its headers when that is enough, and is turned when not. */
class TableTest {
    static Table table(int designs) {
        List<String> cols = new ArrayList<>();
        for (int d = 0; d < designs; d++) cols.add("design-number-" + d);
        Table t = new Table(cols);
        t.section("objects");
        for (String f : List.of("anon_vma", "anon_vma_chain", "all metadata bytes")) {
            List<String> v = new ArrayList<>();
            for (int d = 0; d < designs; d++) v.add(f.length() + d + " / " + (1000 + d) + " B");
            t.row(f, v);
        }
        t.section("walks");
        List<String> v = new ArrayList<>();
        for (int d = 0; d < designs; d++) v.add("ok, " + d + " walks checked");
        t.row("oracle", v);
        return t;
    }

    @Test void aTableThatFitsIsLeftAsItIs() {
        Table t = table(2);
        assertEquals(t.render(Table.UNLIMITED), t.render(Table.COLUMNS));
        assertTrue(t.render().matches("(?s) +\\| +design-number-0 \\| +design-number-1\n-- objects\n.*"), t.render());
    }

    @Test void aTooWideTableIsTurnedWithEveryCellKept() {
        Table t = table(12);
        String wide = t.render(Table.UNLIMITED), fit = t.render(Table.COLUMNS);
        assertTrue(Table.maxLine(wide) > Table.COLUMNS);
        assertTrue(Table.maxLine(fit) <= Table.COLUMNS, fit);
        for (int i = 0; i < 12; i++) {
            int d = i;
            // a row per design, its cells in the order of the figures
            String row = fit.lines().filter(l -> l.startsWith("design-number-" + d + " ")).findFirst().orElseThrow();
            assertTrue(row.matches(".*\\b" + (8 + d) + " / " + (1000 + d) + " B \\|.*\\b" + (14 + d) + " / .*"), row);
            assertTrue(fit.contains("ok, " + d + " walks checked"));
        }
        assertTrue(fit.contains("-- objects\n") && fit.contains("-- walks\n"));
    }

    @Test void headersWrapBeforeATableIsTurned() {
        Table t = new Table(List.of("anon_vma live", "anon_vma_chain live", "vm_area_struct live", "anon_vma allocated",
                "anon_vma_chain allocated", "vm_area_struct allocated", "pages"));
        t.row("k01-fault-one.rmw", List.of("1", "1", "1", "1", "1", "1", "4 equal"));
        String fit = t.render(Table.COLUMNS);
        assertTrue(Table.maxLine(t.render(Table.UNLIMITED)) > Table.COLUMNS);
        assertTrue(Table.maxLine(fit) <= Table.COLUMNS, fit);
        assertTrue(fit.lines().anyMatch(l -> l.startsWith("k01-fault-one.rmw |")), fit); // not turned
        assertTrue(fit.lines().findFirst().orElseThrow().contains("anon_vma_chain"), fit); // the header on two lines
    }
}
