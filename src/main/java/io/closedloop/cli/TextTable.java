package io.closedloop.cli;

import io.closedloop.log.Redactor;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns for command output, redacted; the last column is never padded. Numbers are right-aligned. */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... header) {
        rows.add(header);
    }

    TextTable row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            // a cell may be a record key holding an email (a Flow 2 disposition's is sfId:email)
            r[i] = cells[i] == null ? "-" : Redactor.redact(cells[i].toString());
        }
        rows.add(r);
        return this;
    }

    boolean isEmpty() {
        return rows.size() == 1;
    }

    void print(PrintWriter out) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        boolean[] numeric = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            numeric[c] = rows.size() > 1;
            for (int r = 0; r < rows.size(); r++) {
                width[c] = Math.max(width[c], rows.get(r)[c].length());
                if (r > 0 && !rows.get(r)[c].matches("\\d+")) {
                    numeric[c] = false;
                }
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = row[c];
                if (c == columns - 1 && !numeric[c]) {
                    line.append(cell);
                } else {
                    String pad = " ".repeat(width[c] - cell.length());
                    line.append(numeric[c] ? pad + cell : cell + pad);
                }
                if (c < columns - 1) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
