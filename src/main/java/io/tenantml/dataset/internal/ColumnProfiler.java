package io.tenantml.dataset.internal;

import io.tenantml.dataset.ColumnProfile;
import io.tenantml.dataset.ColumnProfile.Histogram;
import io.tenantml.dataset.ColumnProfile.ValueCount;
import io.tenantml.dataset.ColumnType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.SecondMoment;
import org.apache.commons.math3.stat.descriptive.moment.Variance;

/**
 * One column's statistics in a single pass with bounded memory: moments (Commons Math), quantiles and the
 * CDF (a seeded uniform sample), distinct values (HyperLogLog), value counts for categoricals (capped), and the most
 * extreme values with their lines so that outliers can be shown without a second pass.
 */
final class ColumnProfiler {

    static final double[] QUANTILES = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
    static final String[] QUANTILE_NAMES = {"p1", "p5", "p25", "p50", "p75", "p95", "p99"};
    static final int HISTOGRAM_BINS = 20;
    static final int TOP_VALUES = 20;
    /** Distinct values counted exactly per categorical column; later new values are not counted. */
    static final int MAX_TRACKED_VALUES = 10_000;

    static final int EXTREMES = 50;

    final String name;
    final ColumnType type;
    long count;
    long missing;
    final HyperLogLog distinct = new HyperLogLog();
    /** Welford's running moments (Commons Math); min and max kept beside them. */
    final Moments stats;

    final QuantileSample sample;
    final Map<String, long[]> counts;
    final Extremes low;
    final Extremes high;

    ColumnProfiler(String name, ColumnType type) {
        this.name = name;
        this.type = type;
        boolean numeric = type == ColumnType.NUMERIC || type == ColumnType.INTEGER;
        this.stats = numeric || type == ColumnType.TIMESTAMP ? new Moments() : null;
        this.sample = numeric ? new QuantileSample() : null;
        this.counts = type == ColumnType.CATEGORICAL || type == ColumnType.BOOLEAN ? new HashMap<>() : null;
        this.low = numeric ? new Extremes(EXTREMES, true) : null;
        this.high = numeric ? new Extremes(EXTREMES, false) : null;
    }

    void add(Object value, long line) {
        if (value == null) {
            missing++;
            return;
        }
        count++;
        switch (type) {
            case NUMERIC, INTEGER -> {
                double d = ((Number) value).doubleValue();
                stats.addValue(d);
                sample.add(d);
                distinct.addLong(Double.doubleToLongBits(d == 0.0 ? 0.0 : d));
                low.offer(d, line);
                high.offer(d, line);
            }
            case TIMESTAMP -> {
                long millis = ((Instant) value).toEpochMilli();
                stats.addValue(millis);
                distinct.addLong(millis);
            }
            case BOOLEAN -> {
                counts.computeIfAbsent(value.toString(), k -> new long[1])[0]++;
                distinct.addLong((Boolean) value ? 1 : 0);
            }
            case CATEGORICAL -> {
                String s = (String) value;
                long[] c = counts.get(s);
                if (c != null) {
                    c[0]++;
                } else if (counts.size() < MAX_TRACKED_VALUES) {
                    counts.put(s, new long[] {1});
                }
                distinct.addString(s);
            }
            case TEXT -> distinct.addString((String) value);
        }
    }

    long distinctEstimate() {
        if (type == ColumnType.BOOLEAN || (counts != null && counts.size() < MAX_TRACKED_VALUES)) {
            return counts.size();
        }
        return Math.min(distinct.estimate(), count);
    }

    double quantile(double q) {
        return sample.quantile(q);
    }

    /** Share of values at or below {@code x}, from the sample. */
    double cdf(double x) {
        return sample.cdf(x);
    }

    ColumnProfile profile() {
        Double min = null;
        Double max = null;
        Double mean = null;
        Double std = null;
        Map<String, Double> quantiles = null;
        Histogram histogram = null;
        List<ValueCount> top = null;
        if (stats != null && count > 0) {
            min = stats.getMin();
            max = stats.getMax();
            mean = stats.getMean();
            std = count > 1 ? stats.getStandardDeviation() : 0.0;
            if (type == ColumnType.TIMESTAMP) {
                // Epoch milliseconds: a spread in days means more than a standard deviation in ms.
                std = null;
            }
        }
        if (sample != null && count > 0) {
            quantiles = new LinkedHashMap<>();
            for (int i = 0; i < QUANTILES.length; i++) {
                quantiles.put(QUANTILE_NAMES[i], clamp(sample.quantile(QUANTILES[i]), min, max));
            }
            histogram = histogram(min, max);
        }
        if (counts != null) {
            top = topValues(TOP_VALUES);
        }
        return new ColumnProfile(
                name, type, count, missing, distinctEstimate(), min, max, mean, std, quantiles, histogram, top);
    }

    List<ValueCount> topValues(int n) {
        return counts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
                        .thenComparing(Map.Entry::getKey))
                .limit(n)
                .map(e -> new ValueCount(e.getKey(), e.getValue()[0]))
                .toList();
    }

    /** Equal-width bins over [min, max]; counts from the sample's CDF, adjusted to add up to {@code count}. */
    private Histogram histogram(double min, double max) {
        if (min == max) {
            return new Histogram(List.of(min, max), List.of(count));
        }
        List<Double> edges = new ArrayList<>(HISTOGRAM_BINS + 1);
        List<Long> binCounts = new ArrayList<>(HISTOGRAM_BINS);
        double width = (max - min) / HISTOGRAM_BINS;
        long previous = 0;
        edges.add(min);
        for (int i = 1; i <= HISTOGRAM_BINS; i++) {
            double edge = i == HISTOGRAM_BINS ? max : min + i * width;
            edges.add(edge);
            long cumulative = i == HISTOGRAM_BINS ? count : Math.round(sample.cdf(edge) * count);
            cumulative = Math.max(previous, Math.min(count, cumulative));
            binCounts.add(cumulative - previous);
            previous = cumulative;
        }
        return new Histogram(edges, binCounts);
    }

    private static double clamp(double v, Double min, Double max) {
        return Math.max(min, Math.min(max, v));
    }

    /** Only the moments a profile shows, cheaper per value than Commons Math's full SummaryStatistics. */
    static final class Moments {
        private final SecondMoment m2 = new SecondMoment();
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;

        void addValue(double v) {
            m2.increment(v);
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }

        double getMin() {
            return min;
        }

        double getMax() {
            return max;
        }

        double getMean() {
            return new Mean(m2).getResult();
        }

        double getStandardDeviation() {
            return Math.sqrt(new Variance(m2).getResult());
        }
    }

    /** The k smallest (or largest) values seen, with their lines. */
    static final class Extremes {
        private final int k;
        private final boolean smallest;
        final java.util.PriorityQueue<double[]> heap;
        /** The least extreme kept value (the heap's top), so that most values are refused by one comparison. */
        private double bound;

        Extremes(int k, boolean smallest) {
            this.k = k;
            this.smallest = smallest;
            // Keep the least extreme of the kept values on top, to evict it first.
            Comparator<double[]> byValue = Comparator.comparingDouble(a -> a[0]);
            this.heap = new java.util.PriorityQueue<>(k + 1, smallest ? byValue.reversed() : byValue);
        }

        void offer(double value, long line) {
            if (heap.size() < k) {
                heap.add(new double[] {value, line});
                bound = heap.peek()[0];
            } else if (smallest ? value < bound : value > bound) {
                heap.poll();
                heap.add(new double[] {value, line});
                bound = heap.peek()[0];
            }
        }

        /** Kept values beyond {@code fence}, most extreme first. */
        List<double[]> beyond(double fence) {
            return heap.stream()
                    .filter(a -> smallest ? a[0] < fence : a[0] > fence)
                    .sorted(
                            smallest
                                    ? Comparator.comparingDouble(a -> a[0])
                                    : Comparator.<double[]>comparingDouble(a -> a[0])
                                            .reversed())
                    .toList();
        }

        int size() {
            return heap.size();
        }
    }
}
