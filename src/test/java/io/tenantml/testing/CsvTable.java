package io.tenantml.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small CSV test resources without quoting (such as seattle-weather.csv) as rows of named cells, and rows back
 * to CSV bytes for an upload: tests that serve a data set record by record and upload parts of it use both.
 */
public final class CsvTable {

    private CsvTable() {}

    /** The resource's rows, each a map from header name to cell, in file and column order. */
    public static List<Map<String, String>> rows(String resource) {
        String[] lines = new String(Fixtures.resource(resource), StandardCharsets.UTF_8)
                .strip()
                .split("\n");
        String[] header = lines[0].strip().split(",");
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].strip().split(",");
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                row.put(header[c], cells[c]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** The rows as CSV with the first row's names as header. */
    public static byte[] csv(List<Map<String, String>> rows) {
        StringBuilder csv = new StringBuilder(String.join(",", rows.get(0).keySet())).append('\n');
        rows.forEach(r -> csv.append(String.join(",", r.values())).append('\n'));
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }
}
