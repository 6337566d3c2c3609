package rmaplab.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One self-contained HTML page: headings, tables, notes and charts. The
 * charts are Chart.js (inlined from the vendored copy in the jar, see
 * src/main/resources/rmaplab/report/README.md), each configured by a JSON
 * block that the page's one script hands to Chart.js; nothing is fetched
 * when the page is viewed. Deterministic: the same content gives the same
 * bytes (no date, no random id).
 */
public final class Html {
    private final String title;
    private final StringBuilder body = new StringBuilder();
    private final List<String> toc = new ArrayList<>();
    private int charts;

    public Html(String title) { this.title = title; }

    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray())
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        return b.toString();
    }

    /** A section heading, listed in the page's contents. */
    public Html h2(String text) {
        String id = "s" + toc.size();
        toc.add("<a href=\"#" + id + "\">" + escape(text) + "</a>");
        body.append("<h2 id=\"").append(id).append("\">").append(escape(text)).append("</h2>\n");
        return this;
    }

    public Html h3(String text) {
        body.append("<h3>").append(escape(text)).append("</h3>\n");
        return this;
    }

    public Html p(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** Text as the terminal shows it. */
    public Html pre(String text) {
        body.append("<pre>").append(escape(text)).append("</pre>\n");
        return this;
    }

    public Html table(Table t) {
        body.append("<div class=\"scroll\">").append(t.html()).append("</div>\n");
        return this;
    }

    /** A bar chart: one group per label, one bar (or stacked part) per series. */
    public Html bars(String title, String yTitle, List<String> labels, Map<String, List<? extends Number>> series,
                     boolean stacked, boolean logY) {
        Map<String, Object> x = axis(null, false, stacked);
        Map<String, Object> y = axis(yTitle, logY, stacked);
        return chart("bar", title, labels, series, x, y, false);
    }

    /** A line chart of figures against a parameter's values, log-log when asked. */
    public Html lines(String title, String xTitle, String yTitle, List<? extends Number> xs,
                      Map<String, List<? extends Number>> series, boolean logX, boolean logY) {
        Map<String, Object> x = axis(xTitle, logX, false);
        x.put("type", logX ? "logarithmic" : "linear");
        return chart("line", title, xs, series, x, axis(yTitle, logY, false), true);
    }

    private static Map<String, Object> axis(String title, boolean log, boolean stacked) {
        Map<String, Object> a = new LinkedHashMap<>();
        if (log) a.put("type", "logarithmic");
        if (stacked) a.put("stacked", true);
        if (title != null) a.put("title", Map.of("display", true, "text", title));
        return a;
    }

    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"};

    private Html chart(String type, String title, List<?> labels, Map<String, List<? extends Number>> series,
                       Map<String, Object> x, Map<String, Object> y, boolean xy) {
        List<Object> datasets = new ArrayList<>();
        int i = 0;
        for (var e : series.entrySet()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("label", e.getKey());
            if (xy) {
                List<Object> pts = new ArrayList<>();
                for (int k = 0; k < labels.size() && k < e.getValue().size(); k++) {
                    Number v = e.getValue().get(k);
                    if (v != null) pts.add(Map.of("x", labels.get(k), "y", v));
                }
                d.put("data", pts);
            } else {
                d.put("data", e.getValue());
            }
            String colour = COLOURS[i++ % COLOURS.length];
            d.put("backgroundColor", colour);
            d.put("borderColor", colour);
            datasets.add(d);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        if (!xy) data.put("labels", labels);
        data.put("datasets", datasets);
        Map<String, Object> plugins = new LinkedHashMap<>();
        plugins.put("title", Map.of("display", true, "text", title));
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("animation", false); // drawn at once: a screenshot or a print shows the whole chart
        options.put("maintainAspectRatio", false);
        options.put("plugins", plugins);
        options.put("scales", Map.of("x", x, "y", y));
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("type", type);
        cfg.put("data", data);
        cfg.put("options", options);
        String id = "chart" + charts++;
        body.append("<div class=\"chart\"><canvas id=\"").append(id).append("\" role=\"img\" aria-label=\"")
                .append(escape(title)).append("\"></canvas></div>\n");
        body.append("<script type=\"application/json\" class=\"chart-config\" data-canvas=\"").append(id).append("\">")
                .append(Json.write(cfg).replace("</", "<\\/")).append("</script>\n");
        return this;
    }

    /** How many charts the page has. */
    public int charts() { return charts; }

    /** The whole page. */
    public String page() {
        StringBuilder b = new StringBuilder(300_000);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n")
                .append("<script>\n").append(chartJs()).append("\n</script>\n</head>\n<body>\n");
        b.append("<h1>").append(escape(title)).append("</h1>\n");
        if (toc.size() > 1) b.append("<nav><ul>\n").append(String.join("\n", toc.stream().map(t -> "<li>" + t + "</li>").toList()))
                .append("\n</ul></nav>\n");
        b.append(body);
        b.append("<script>\n").append(DRAW).append("</script>\n</body>\n</html>\n");
        return b.toString();
    }

    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 1200px; padding: 0 1em; color: #222; }
            h1 { font-size: 1.5em; } h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; margin-top: 2em; }
            h3 { font-size: 1.05em; }
            table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
            th, td { border: 1px solid #ddd; padding: 2px 6px; } td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            tbody th { text-align: left; font-weight: normal; } tr.section th { background: #eef; font-weight: bold; }
            .scroll { overflow-x: auto; }
            .chart { position: relative; height: 340px; margin: 1em 0 2em; }
            pre { background: #f6f6f6; padding: 0.5em; overflow-x: auto; font-size: 0.8em; }
            nav ul { columns: 2; }
            """;

    /** Draws every chart from its JSON block. */
    private static final String DRAW = """
            for (const cfg of document.querySelectorAll('script.chart-config')) {
              new Chart(document.getElementById(cfg.dataset.canvas), JSON.parse(cfg.textContent));
            }
            """;

    private static String chartJs() {
        try (InputStream in = Html.class.getResourceAsStream("/rmaplab/report/chart.umd.min.js")) {
            if (in == null) throw new IllegalStateException("chart.umd.min.js is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
