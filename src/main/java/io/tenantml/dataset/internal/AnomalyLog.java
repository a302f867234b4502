package io.tenantml.dataset.internal;

import io.tenantml.dataset.Anomaly;
import io.tenantml.dataset.Anomaly.Example;
import io.tenantml.dataset.Anomaly.Severity;
import io.tenantml.dataset.CellParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/** Collects anomalies by (column, check) as rows stream by: a count and the first few examples each. */
final class AnomalyLog {

    private final int maxExamples;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    AnomalyLog(int maxExamples) {
        this.maxExamples = maxExamples;
    }

    private static final class Entry {
        final String column;
        final String check;
        final Severity severity;
        final LongFunction<String> message;
        long count;
        final List<Example> examples = new ArrayList<>();

        Entry(String column, String check, Severity severity, LongFunction<String> message) {
            this.column = column;
            this.check = check;
            this.severity = severity;
            this.message = message;
        }
    }

    /**
     * Counts one occurrence; {@code message} is kept from the first, and told the final count when the anomalies
     * are read ("1 value does not parse", "3 values do not"). A function, not a template with a placeholder: the
     * message holds column names and values from the upload, where a placeholder could stand too.
     */
    void hit(String column, String check, Severity severity, LongFunction<String> message, long line, Object value) {
        Entry e = entries.computeIfAbsent(column + "\u0000" + check, k -> new Entry(column, check, severity, message));
        e.count++;
        if (e.examples.size() < maxExamples) {
            e.examples.add(new Example(line, CellParser.display(value)));
        }
    }

    void add(Anomaly anomaly) {
        Entry e = new Entry(anomaly.column(), anomaly.check(), anomaly.severity(), n -> anomaly.message());
        e.count = anomaly.count();
        e.examples.addAll(anomaly.examples());
        entries.put(anomaly.column() + "\u0000" + anomaly.check(), e);
    }

    List<Anomaly> anomalies() {
        List<Anomaly> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            String message = e.message.apply(e.count);
            out.add(new Anomaly(e.column, e.check, e.severity, e.count, message, e.examples));
        }
        out.sort((a, b) -> Integer.compare(a.severity().ordinal(), b.severity().ordinal()));
        return out;
    }
}
