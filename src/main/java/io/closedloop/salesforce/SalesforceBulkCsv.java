package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.closedloop.core.RetriableSyncException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Bulk API 2.0 CSV (salesforce-api.md §5.2, §5.5): RFC 4180 quoting, LF line endings, a header of field names. */
final class SalesforceBulkCsv {
    /** Sets a field to null in a Bulk upload (§5.2); an empty value leaves the field as it is. */
    static final String NULL = "#N/A";

    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    private SalesforceBulkCsv() {
    }

    /** The upload: the external id column first, then every field any write sets; a field a row does not set stays empty. */
    static String write(String externalIdField, List<SalesforceWrite> writes) {
        Set<String> columns = new LinkedHashSet<>();
        columns.add(externalIdField);
        writes.forEach(w -> columns.addAll(w.fields().keySet()));
        List<List<String>> rows = new ArrayList<>(writes.size() + 1);
        rows.add(List.copyOf(columns));
        for (SalesforceWrite w : writes) {
            List<String> row = new ArrayList<>(columns.size());
            for (String column : columns) {
                row.add(w.fields().containsKey(column) ? text(w.fields().get(column)) : "");
            }
            rows.add(row);
        }
        try {
            return CSV.writerFor(List.class).with(CsvSchema.emptySchema().withLineSeparator("\n")).writeValueAsString(rows);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a Bulk CSV", e);
        }
    }

    /** Result rows as maps from column name to value, in the order Salesforce sent them. */
    static List<Map<String, String>> read(String csv) {
        List<Map<String, String>> out = new ArrayList<>();
        try (MappingIterator<List<String>> it = CSV.readerForListOf(String.class).with(CsvSchema.emptySchema()).readValues(csv)) {
            List<String> header = null;
            while (it.hasNextValue()) {
                List<String> row = it.nextValue();
                if (header == null) {
                    header = row;
                    continue;
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    values.put(header.get(i), i < row.size() ? row.get(i) : "");
                }
                out.add(values);
            }
        } catch (IOException e) {
            throw new RetriableSyncException("BULK_RESULTS_UNREADABLE", "Salesforce Bulk API results could not be read as CSV", e);
        }
        return out;
    }

    private static String text(Object value) {
        if (value == null) {
            return NULL;
        }
        return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
    }
}
