package rmaplab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rmaplab.cli.CliRun;

/**
 * The HTML reports, opened in a real browser: headless Chromium (Debian's
 * chromium package, which .ci/run installs) loads each report offline, and
 * a probe script added to a copy of the page records every error and
 * console.error from the start, then checks that each canvas holds a Chart.js
 * chart with drawn pixels. A screenshot of the compare report is saved in
 * target/report-browser/. Where Chromium is missing or cannot start, the
 * browser tests are skipped with the reason (never passed).
 */
class ReportBrowserTest {
    static final Path DIR = Path.of("target/report-browser");
    static String chromium;
    static String chromiumProblem;

    @BeforeAll static void findChromium() throws Exception {
        Files.createDirectories(DIR);
        for (String c : List.of("chromium", "chromium-browser", "google-chrome"))
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                if (chromium == null && Files.isExecutable(Path.of(dir, c))) chromium = Path.of(dir, c).toString();
        if (chromium == null) {
            chromiumProblem = "no chromium on PATH (Debian: apt-get install chromium; .ci/run installs it)";
            return;
        }
        Path blank = DIR.resolve("blank.html");
        Files.writeString(blank, "<!DOCTYPE html><title>t</title><p id=x>ok</p>");
        Result r = chromium(List.of("--dump-dom", blank.toUri().toString()), 60);
        if (r.status != 0 || !r.out.contains("ok")) chromiumProblem = "chromium cannot run here (status " + r.status + "): "
                + r.err.lines().filter(l -> !l.contains("dbus")).limit(5).toList();
    }

    record Result(int status, String out, String err) {}

    static Result chromium(List<String> args, int timeoutSeconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + DIR.resolve("profile").toAbsolutePath()));
        cmd.addAll(args);
        Path out = DIR.resolve("chromium.out"), err = DIR.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return new Result(-1, "", "timed out after " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Added first in the head: keeps every error; added last in the body: checks every chart. */
    static final String PROBE_HEAD = """
            <script>window.__errors = [];
            window.addEventListener('error', e => window.__errors.push(String(e.message)));
            const __ce = console.error; console.error = (...a) => { window.__errors.push(a.join(' ')); __ce(...a); };
            </script>""";
    static final String PROBE_END = """
            <script>
            const __charts = [];
            for (const c of document.querySelectorAll('canvas')) {
              const chart = (typeof Chart !== 'undefined') ? Chart.getChart(c) : undefined;
              const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let drawn = 0;
              for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) drawn++;
              __charts.push({id: c.id, chart: !!chart, width: c.width, height: c.height, drawn: drawn,
                             points: chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0});
            }
            const pre = document.createElement('pre');
            pre.id = 'probe';
            pre.textContent = 'PROBE' + JSON.stringify({errors: window.__errors, charts: __charts}) + 'EBORP';
            document.body.appendChild(pre);
            </script>""";

    /** Opens a report in Chromium and checks that it is offline, error-free, and that every chart was drawn. */
    static JsonNode openAndCheck(Path report, int expectedCharts) throws Exception {
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertFalse(Pattern.compile("https?://").matcher(html).find(), report + " has a web address: it must open offline");
        assertFalse(html.contains("<script src") || html.contains("<link "), report + " loads a file");
        Assumptions.assumeTrue(chromiumProblem == null, () -> "skipped: " + chromiumProblem);
        Path probed = DIR.resolve("probed-" + report.getFileName());
        Files.writeString(probed, html.replaceFirst("<head>", "<head>\n" + Matcher.quoteReplacement(PROBE_HEAD))
                .replace("</body>", PROBE_END + "\n</body>"));
        Result r = chromium(List.of("--virtual-time-budget=10000", "--dump-dom", probed.toUri().toString()), 120);
        assertEquals(0, r.status, r.err);
        Matcher m = Pattern.compile("<pre id=\"probe\">PROBE(.*?)EBORP</pre>", Pattern.DOTALL).matcher(r.out);
        assertTrue(m.find(), "the probe did not run: " + r.err);
        JsonNode probe = new ObjectMapper().readTree(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
        assertEquals(0, probe.get("errors").size(), "errors in the page: " + probe.get("errors"));
        assertEquals(expectedCharts, probe.get("charts").size(), probe.toString());
        for (JsonNode c : probe.get("charts")) {
            assertTrue(c.get("chart").asBoolean(), "no chart on canvas " + c);
            assertTrue(c.get("width").asInt() > 100 && c.get("height").asInt() > 100, "canvas too small: " + c);
            assertTrue(c.get("points").asInt() > 0, "chart without data: " + c);
            // axes, labels and bars: far more than a blank canvas's zero drawn pixels
            assertTrue(c.get("drawn").asInt() > 2000, "chart not drawn: " + c);
        }
        return probe;
    }

    @Test void compareReportRendersEveryChart() throws Exception {
        Path report = DIR.resolve("compare.html");
        CliRun.Out o = CliRun.run("compare", "examples/linux-mm-3.rmw", "--html", report.toString());
        assertEquals(0, o.status(), o.err());
        // per workload: metadata, walks, per-op costs, lock acquisitions, lock scope
        openAndCheck(report, 5);
        Path png = DIR.resolve("report.png");
        Files.deleteIfExists(png);
        Result r = chromium(List.of("--window-size=1280,1150", "--screenshot=" + png.toAbsolutePath(),
                report.toUri().toString()), 120);
        assertEquals(0, r.status, r.err);
        assertTrue(Files.size(png) > 50_000, "screenshot too small: " + Files.size(png));
    }

    @Test void sweepReportRendersEveryChart() throws Exception {
        Path report = DIR.resolve("sweep.html"), csv = DIR.resolve("sweep.csv");
        CliRun.Out o = CliRun.run("sweep", "gen:linux-mm:regions=20", "--vary", "children=1,10,100", "--design", "linux",
                "--design", "pv", "--csv", csv.toString(), "--html", report.toString());
        assertEquals(0, o.status(), o.err());
        openAndCheck(report, Report.SWEEP_FIGURES.size());
    }

    @Test void kernelCheckReportRendersEveryChart() throws Exception {
        Path report = DIR.resolve("kernel-check.html");
        CliRun.Out o = CliRun.run("kernel-check", "recordings/python-pool.rmw.gz", "--html", report.toString());
        assertEquals(0, o.status(), o.err());
        openAndCheck(report, 1);
    }
}
