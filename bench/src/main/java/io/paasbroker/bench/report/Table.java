package io.paasbroker.bench.report;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: the first column left-aligned, the others right-aligned, columns as wide as their text. */
public final class Table {

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    public Table(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    public Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        String[] text = new String[columns];
        for (int i = 0; i < columns; i++) {
            text[i] = String.valueOf(cells[i]);
        }
        rows.add(text);
        return this;
    }

    public String render() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < columns; i++) {
                String format = i == 0 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
                line.append(String.format(format, row[i])).append(i == columns - 1 ? "" : "   ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                out.append("  ").append("-".repeat(line.length() - 2)).append('\n');
            }
        }
        return out.toString();
    }

    public static String ms(double millis) {
        return Double.isNaN(millis)
                ? "-"
                : millis >= 100 ? String.format("%.0f", millis) : String.format("%.1f", millis);
    }

    public static String rate(double perSecond) {
        return perSecond >= 100 ? String.format("%,.0f", perSecond) : String.format("%.1f", perSecond);
    }
}
