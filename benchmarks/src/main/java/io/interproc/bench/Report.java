package io.interproc.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * Writes the harness's results: a Markdown table (interproc's median and p99, each peer's, and
 * the ratios), the target verdicts, and a PNG bar chart of the ratios drawn with java.awt in
 * headless mode.
 */
final class Report {
    /** One target's verdict. */
    record Target(String text, String verdict, String detail) {
    }

    private Report() {
    }

    // ---------------------------------------------------------------- formatting

    static String value(double v, String unit) {
        if (Double.isNaN(v)) {
            return "—";
        }
        switch (unit) {
            case "ns":
                return v < 1000 ? String.format(Locale.ROOT, "%.1f ns", v) : String.format(Locale.ROOT, "%.2f µs", v / 1000);
            case "cpu":
                return String.format(Locale.ROOT, v < 1 ? "%.3f ms/s" : "%.2f ms/s", v);
            default:
                if (v >= 1e6) {
                    return String.format(Locale.ROOT, "%.2f M %s", v / 1e6, unit);
                }
                if (v >= 1e3) {
                    return String.format(Locale.ROOT, "%.1f k %s", v / 1e3, unit);
                }
                return String.format(Locale.ROOT, "%.0f %s", v, unit);
        }
    }

    static String ratio(double r) {
        if (Double.isNaN(r)) {
            return "—";
        }
        if (r >= 100) {
            return String.format(Locale.ROOT, "%.0f×", r);
        }
        return r >= 10 ? String.format(Locale.ROOT, "%.1f×", r) : String.format(Locale.ROOT, "%.2f×", r);
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String figureCell(Figure f, double v, String unit) {
        if (f.absence() != null) {
            return (f.failed() ? "FAILED: " : "missing: ") + cell(f.absence());
        }
        return value(v, unit);
    }

    // ---------------------------------------------------------------- Markdown

    static String markdown(String heading, List<String> environment, List<Scenario> scenarios, List<Target> targets,
            String chartFile, boolean quick) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(heading).append("\n\n");
        for (String line : environment) {
            md.append("- ").append(line).append('\n');
        }
        md.append("\n## Targets\n\n");
        if (quick) {
            md.append("A quick (smoke) run: too short for C2 to compile the hot paths, so these verdicts say nothing.\n\n");
        }
        for (Target t : targets) {
            md.append("- **").append(t.verdict()).append("** — ").append(t.text()).append(": ").append(t.detail())
                    .append('\n');
        }
        md.append("\n## Results\n\n");
        md.append("Ratio = how many times better interproc is than the peer, measured in the same run "
                + "(throughput: ours / peer; times: peer / ours). Above 1× interproc is better. "
                + "p99 is given where it is meaningful (latencies); throughput figures are the median of the "
                + "measured iterations.\n\n");
        md.append("| scenario | interproc | interproc median | interproc p99 | peer | peer median | peer p99 "
                + "| ratio (median) | ratio (p99) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Scenario s : scenarios) {
            String oursMedian = figureCell(s.ours(), s.ours().median(), s.unit());
            String oursP99 = s.ours().absence() != null ? "—" : value(s.ours().p99(), s.unit());
            if (s.peers().isEmpty()) {
                md.append(String.format("| %s | %s | %s | %s | — | — | — | — | — |%n", cell(s.title()),
                        cell(s.ours().impl()), oursMedian, oursP99));
            }
            for (Figure p : s.peers()) {
                md.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", cell(s.title()),
                        cell(s.ours().impl()), oursMedian, oursP99, cell(p.impl()), figureCell(p, p.median(), s.unit()),
                        p.absence() != null ? "—" : value(p.p99(), s.unit()), ratio(s.ratio(p)), ratio(s.ratioP99(p))));
            }
        }
        md.append("\n## Notes per scenario\n\n");
        for (Scenario s : scenarios) {
            md.append("- **").append(cell(s.title())).append("** (`").append(s.id()).append("`)");
            List<String> notes = new ArrayList<>();
            addNote(notes, s.ours(), s.unit());
            s.peers().forEach(p -> addNote(notes, p, s.unit()));
            for (String n : notes) {
                md.append("\n  - ").append(n);
            }
            md.append('\n');
        }
        if (chartFile != null) {
            md.append("\n## Chart\n\n![ratios](").append(chartFile).append(")\n");
        }
        return md.toString();
    }

    private static void addNote(List<String> notes, Figure f, String unit) {
        StringBuilder n = new StringBuilder(cell(f.impl())).append(": ");
        if (!f.note().isEmpty()) {
            n.append(cell(f.note()));
        }
        if (!Double.isNaN(f.p999())) {
            n.append(f.note().isEmpty() ? "" : "; ").append("p99.9 ").append(value(f.p999(), unit));
        }
        if (f.note().isEmpty() && Double.isNaN(f.p999())) {
            return;
        }
        notes.add(n.toString());
    }

    // ---------------------------------------------------------------- chart

    /**
     * Draws one horizontal bar per (scenario, peer) ratio on a log scale from 0.1× to 1000×.
     *
     * @param scenarios the results
     * @param file where the PNG goes
     * @throws IOException if it cannot be written
     */
    static void chart(String title, List<Scenario> scenarios, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> labels = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (Scenario s : scenarios) {
            for (Figure p : s.peers()) {
                labels.add(s.title() + "  vs  " + p.impl());
                ratios.add(s.ratio(p));
            }
        }
        int rowHeight = 22;
        int left = 620;
        int plotWidth = 520;
        int top = 60;
        int width = left + plotWidth + 90;
        int height = top + labels.size() * rowHeight + 50;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, 10, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("how many times better interproc is (log scale; right of 1× = interproc better)", 10, 40);
            double lo = -1;
            double hi = 3;
            // grid
            for (int e = -1; e <= 3; e++) {
                int x = left + (int) ((e - lo) / (hi - lo) * plotWidth);
                g.setColor(e == 0 ? Color.DARK_GRAY : new Color(220, 220, 220));
                g.setStroke(new BasicStroke(e == 0 ? 2f : 1f));
                g.drawLine(x, top - 5, x, top + labels.size() * rowHeight);
                g.setColor(Color.DARK_GRAY);
                String tick = e < 0 ? "0.1×" : ((int) Math.pow(10, e)) + "×";
                g.drawString(tick, x - 12, top + labels.size() * rowHeight + 16);
            }
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < labels.size(); i++) {
                int y = top + i * rowHeight;
                String label = labels.get(i);
                while (fm.stringWidth(label) > left - 20 && label.length() > 10) {
                    label = label.substring(0, label.length() - 2);
                }
                g.setColor(Color.BLACK);
                g.drawString(label, 10, y + 15);
                double r = ratios.get(i);
                if (Double.isNaN(r)) {
                    g.setColor(Color.GRAY);
                    g.drawString("n/a", left + 4, y + 15);
                    continue;
                }
                double v = Math.max(lo, Math.min(hi, Math.log10(r)));
                int x0 = left + (int) ((0 - lo) / (hi - lo) * plotWidth);
                int x1 = left + (int) ((v - lo) / (hi - lo) * plotWidth);
                g.setColor(r >= 1 ? new Color(60, 150, 80) : new Color(200, 70, 60));
                g.fillRect(Math.min(x0, x1), y + 4, Math.max(1, Math.abs(x1 - x0)), rowHeight - 8);
                g.setColor(Color.BLACK);
                g.drawString(ratio(r), Math.max(x0, x1) + 5, y + 15);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
