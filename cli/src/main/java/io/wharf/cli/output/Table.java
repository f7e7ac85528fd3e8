package io.wharf.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows printed as left-aligned columns separated by two spaces, under an upper-case header, with no trailing blanks,
 * so that {@code awk}, {@code cut -w} and people can all read it. Holds its rows until {@link #print}; one thread.
 */
public final class Table {

    private static final String GAP = "  ";

    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = header.clone();
    }

    /** Adds a row; null cells print as {@code -}. */
    public Table row(Object... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells under " + header.length);
        }
        String[] text = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            text[i] = cells[i] == null ? "-" : String.valueOf(cells[i]);
        }
        rows.add(text);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Prints the header and the rows. */
    public void print(PrintWriter out) {
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        printRow(out, header, widths);
        for (String[] row : rows) {
            printRow(out, row, widths);
        }
        out.flush();
    }

    private static void printRow(PrintWriter out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i]);
            if (i < cells.length - 1) {
                char[] pad = new char[widths[i] - cells[i].length()];
                Arrays.fill(pad, ' ');
                line.append(pad).append(GAP);
            }
        }
        out.println(line.toString().stripTrailing());
    }
}
