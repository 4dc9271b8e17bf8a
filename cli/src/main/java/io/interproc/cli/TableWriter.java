package io.interproc.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Prints rows as aligned columns two spaces apart, each as wide as its widest cell; the first row
 * is usually the header. Trailing spaces are stripped from every line. Add rows with
 * {@link #row}, then {@link #print} them.
 */
final class TableWriter {
    private final List<String[]> rows = new ArrayList<>();
    private final Set<Integer> rightAligned;

    /** @param rightAligned the indexes of the columns to right-align (numbers); the others are left-aligned */
    TableWriter(Set<Integer> rightAligned) {
        this.rightAligned = rightAligned;
    }

    /**
     * @param cells the row's cells; every row has as many as the first
     * @return this
     */
    TableWriter row(String... cells) {
        rows.add(cells);
        return this;
    }

    /** @param out where the lines go */
    void print(PrintStream out) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String cell = row[c];
                String pad = " ".repeat(width[c] - cell.length());
                line.append(rightAligned.contains(c) ? pad + cell : cell + (c == columns - 1 ? "" : pad));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
