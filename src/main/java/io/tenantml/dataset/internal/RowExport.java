package io.tenantml.dataset.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.DatasetFormat;
import io.tenantml.dataset.DatasetRow;
import io.tenantml.dataset.DatasetSchema;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Streams a stored rows file out as CSV (Commons CSV) or NDJSON/JSON (Jackson), row by row. */
public final class RowExport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RowExport() {}

    public static void write(InputStream rowsFile, DatasetSchema schema, DatasetFormat format, OutputStream out)
            throws IOException {
        List<String> names = schema.columns().stream().map(ColumnSchema::name).toList();
        try (RowCodec.Reader reader = new RowCodec.Reader(rowsFile)) {
            if (format == DatasetFormat.CSV) {
                BufferedWriter writer =
                        new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
                CSVPrinter printer = new CSVPrinter(
                        writer,
                        CSVFormat.RFC4180
                                .builder()
                                .setHeader(names.toArray(String[]::new))
                                .setRecordSeparator("\n")
                                .get());
                String[] cells = new String[names.size()];
                for (DatasetRow row; (row = reader.next()) != null; ) {
                    for (int i = 0; i < cells.length; i++) {
                        cells[i] = cell(row.values()[i]);
                    }
                    printer.printRecord((Object[]) cells);
                }
                printer.flush();
            } else {
                JsonGenerator gen = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8);
                gen.setRootValueSeparator(null);
                boolean array = format == DatasetFormat.JSON;
                if (array) {
                    gen.writeStartArray();
                }
                for (DatasetRow row; (row = reader.next()) != null; ) {
                    gen.writeStartObject();
                    for (int i = 0; i < names.size(); i++) {
                        gen.writeFieldName(names.get(i));
                        Object v = row.values()[i];
                        switch (v) {
                            case null -> gen.writeNull();
                            case Double d -> gen.writeNumber(d);
                            case Long l -> gen.writeNumber(l);
                            case Boolean b -> gen.writeBoolean(b);
                            default -> gen.writeString(cell(v));
                        }
                    }
                    gen.writeEndObject();
                    if (!array) {
                        gen.writeRaw('\n');
                    }
                }
                if (array) {
                    gen.writeEndArray();
                }
                gen.flush();
            }
        }
    }

    private static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : Double.toString(d);
        }
        if (v instanceof Instant t) {
            return t.toString();
        }
        return v.toString();
    }
}
