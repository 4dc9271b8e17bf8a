package io.interproc.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's arithmetic and report writing; no process is started and nothing is timed. */
class ReportTest {
    private static Scenario throughput(Figure... peers) {
        return new Scenario("t", "throughput", "msg/s", true, Figure.of("ours", 2_000_000, ""), List.of(peers));
    }

    @Test
    void shouldGiveRatiosAboveOneWhenInterprocIsBetter() {
        Scenario t = throughput(Figure.of("peer", 500_000, ""));
        assertEquals(4.0, t.ratio(t.peers().get(0)), 1e-9);
        Scenario l = new Scenario("l", "latency", "ns", false, Figure.latency("ours", 500, 900, 2000, ""),
                List.of(Figure.latency("peer", 10_000, 45_000, 90_000, "")));
        assertEquals(20.0, l.ratio(l.peers().get(0)), 1e-9);
        assertEquals(50.0, l.ratioP99(l.peers().get(0)), 1e-9);
    }

    @Test
    void shouldGiveNoRatioAgainstAnAbsentOrZeroFigure() {
        Scenario t = throughput(Figure.missing("peer", "python3 not found"), Figure.of("zero", 0, ""));
        assertTrue(Double.isNaN(t.ratio(t.peers().get(0))));
        assertTrue(Double.isNaN(t.ratio(t.peers().get(1))));
        assertEquals("—", Report.ratio(Double.NaN));
    }

    @Test
    void shouldFormatValuesInTheirUnit() {
        assertEquals("14.20 M msg/s", Report.value(14.2e6, "msg/s"));
        assertEquals("93.0 k msg/s", Report.value(93_000, "msg/s"));
        assertEquals("23.4 ns", Report.value(23.4, "ns"));
        assertEquals("13.00 µs", Report.value(13_000, "ns"));
        assertEquals("12.3×", Report.ratio(12.34));
        assertEquals("0.50×", Report.ratio(0.5));
    }

    @Test
    void shouldShowMissingAndFailedPeersWithTheirReasons() {
        Scenario t = throughput(Figure.missing("Python multiprocessing.Queue", "python3 not found on PATH"),
                Figure.failed("Agrona OneToOneRingBuffer", "exit code 1: boom"));
        String md = Report.markdown("h", List.of("env"), List.of(t),
                List.of(new Report.Target("target", "MET", "4×")), "chart.png", false);
        assertTrue(md.contains("| missing: python3 not found on PATH |"), md);
        assertTrue(md.contains("| FAILED: exit code 1: boom |"), md);
        assertTrue(md.contains("- **MET** — target: 4×"), md);
        assertTrue(md.contains("![ratios](chart.png)"), md);
    }

    @Test
    void shouldDrawTheChart(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("c.png");
        Report.chart("title", List.of(throughput(Figure.of("peer", 500_000, ""), Figure.missing("gone", "why"))), png);
        byte[] header = new byte[4];
        System.arraycopy(Files.readAllBytes(png), 0, header, 0, 4);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, header);
    }

    @Test
    void shouldReadThePythonPeersResultLine() {
        String json = "{\"unit\": \"msg/s\", \"samples\": [1.5, 3.0, 2.0], \"what\": \"a \\\"quoted\\\" b\", \"p50\": 21792}";
        assertArrayEquals(new double[] {1.5, 3.0, 2.0}, JsonFields.array(json, "samples"));
        assertEquals(21792, JsonFields.number(json, "p50"));
        assertEquals("a \\\"quoted\\\" b", JsonFields.string(json, "what"));
    }
}
