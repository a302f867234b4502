package io.tenantml.monitoring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tenantml.feature.FeatureInput;
import io.tenantml.feature.FeatureKind;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.feature.ValueKind;
import io.tenantml.model.Objective;
import io.tenantml.model.TargetEncoding;
import io.tenantml.monitoring.LogRecord;
import io.tenantml.statistics.ColumnSketch;
import io.tenantml.statistics.Moments;
import io.tenantml.statistics.TableSketch;
import io.tenantml.statistics.ValueFrequency;
import io.tenantml.testing.Gen;
import io.tenantml.testing.Properties;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WindowProfilerTest {

    private static final List<String> REGIONS = List.of("north", "east", "south", "west");
    private static final FeatureTransform TRANSFORM = new FeatureTransform(
            FeatureTransform.FORMAT_VERSION,
            List.of(
                    new FeatureInput("amount", FeatureKind.NUMERIC, null),
                    new FeatureInput("region", FeatureKind.CATEGORICAL, REGIONS)));
    private static final TargetEncoding TARGET =
            new TargetEncoding(Objective.BINARY, "churn", List.of("false", "true"), null);

    /** A day of logged records, spread over its hours, some missing, unseen or refused. */
    private static final Gen<List<LogRecord>> DAY = random -> {
        Instant day = Instant.parse("2026-11-29T00:00:00Z");
        int n = random.nextInt(1, 6000);
        List<LogRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Instant at =
                    day.plusMillis(random.nextLong(ChronoUnit.DAYS.getDuration().toMillis()));
            ValueKind amountKind = random.nextInt(20) == 0 ? ValueKind.MISSING : ValueKind.PRESENT;
            int r = random.nextInt(12);
            ValueKind regionKind = r == 0 ? ValueKind.UNSEEN_CATEGORY : ValueKind.PRESENT;
            float amount = amountKind == ValueKind.MISSING ? Float.NaN : (float) (random.nextGaussian() * 10 + 50);
            float region = regionKind == ValueKind.PRESENT ? r % REGIONS.size() : Float.NaN;
            boolean refused = random.nextInt(50) == 0;
            records.add(new LogRecord(
                    UUID.randomUUID(),
                    at,
                    new ValueKind[] {refused ? ValueKind.REFUSED : amountKind, regionKind},
                    refused ? new float[0] : new float[] {amount, region},
                    refused ? new float[0] : new float[] {(float) random.nextDouble()},
                    1 + random.nextInt(3)));
        }
        return records;
    };

    private static WindowProfiler profiler() {
        return new WindowProfiler(TRANSFORM, TARGET, List.of("score"));
    }

    @Test
    void shouldMergeHourlyProfilesIntoTheProfileOfTheWholeDay() {
        Properties.check("hours merge into the day", 20261129L, 25, DAY, records -> {
            WindowProfiler whole = profiler();
            Map<Instant, WindowProfiler> hours = new HashMap<>();
            for (LogRecord r : records) {
                whole.add(r);
                hours.computeIfAbsent(r.predictedAt().truncatedTo(ChronoUnit.HOURS), h -> profiler())
                        .add(r);
            }
            TableSketch merged = null;
            long represented = 0;
            long scored = 0;
            for (WindowProfiler hour : hours.values()) {
                // through bytes, as the stored hours are
                TableSketch stored = TableSketch.fromBytes(hour.profile().toBytes());
                if (merged == null) {
                    merged = stored;
                } else {
                    merged.merge(stored);
                }
                represented += hour.represented();
                scored += hour.scored();
            }
            assertThat(represented).isEqualTo(whole.represented());
            assertThat(scored).isEqualTo(whole.scored());
            TableSketch day = whole.profile();
            assertThat(merged.columnNames()).containsExactlyInAnyOrderElementsOf(day.columnNames());
            for (String name : day.columnNames()) {
                ColumnSketch a = day.column(name).orElseThrow();
                ColumnSketch b = merged.column(name).orElseThrow();
                assertThat(b.count()).as(name + " count").isEqualTo(a.count());
                assertThat(b.missing()).as(name + " missing").isEqualTo(a.missing());
                if (a.kind() == ColumnSketch.Kind.CATEGORICAL) {
                    // exact counts (few categories): equal, value by value
                    assertThat(counts(b)).as(name).isEqualTo(counts(a));
                } else if (a.count() > 0) {
                    Moments ma = a.moments();
                    Moments mb = b.moments();
                    assertThat(mb.mean())
                            .as(name + " mean")
                            .isCloseTo(ma.mean(), within(1e-9 * Math.abs(ma.mean()) + 1e-12));
                    assertThat(mb.populationVariance())
                            .as(name + " variance")
                            .isCloseTo(ma.populationVariance(), within(1e-9 * ma.populationVariance() + 1e-12));
                    assertThat(mb.min()).isEqualTo(ma.min());
                    assertThat(mb.max()).isEqualTo(ma.max());
                    // quantiles of two KLL sketches of the same values agree within both rank errors
                    double error = a.rankError() + b.rankError();
                    for (double rank = 0.1; rank < 0.95; rank += 0.1) {
                        double q = b.quantile(rank);
                        double trueRank = a.rank(q, io.tenantml.statistics.Intervals.RIGHT_CLOSED);
                        assertThat(trueRank)
                                .as(name + " rank of merged quantile " + rank)
                                .isCloseTo(rank, within(error + 1.0 / a.count()));
                    }
                }
            }
        });
    }

    @Test
    void shouldCountRefusedRecordsForSkewOnlyAndUnseenCategoriesApartFromMissingOnes() {
        WindowProfiler p = profiler();
        Instant at = Instant.parse("2026-11-29T10:15:00Z");
        p.add(new LogRecord(
                UUID.randomUUID(),
                at,
                new ValueKind[] {ValueKind.PRESENT, ValueKind.UNSEEN_CATEGORY},
                new float[] {1, Float.NaN},
                new float[] {0.9f},
                1));
        p.add(new LogRecord(
                UUID.randomUUID(),
                at,
                new ValueKind[] {ValueKind.PRESENT, ValueKind.MISSING},
                new float[] {2, Float.NaN},
                new float[] {0.2f},
                1));
        p.add(new LogRecord(
                UUID.randomUUID(),
                at,
                new ValueKind[] {ValueKind.REFUSED, ValueKind.PRESENT},
                new float[0],
                new float[0],
                4));
        TableSketch t = p.profile();
        assertThat(p.records()).isEqualTo(3);
        assertThat(p.scored()).isEqualTo(2);
        assertThat(p.represented()).isEqualTo(6);
        ColumnSketch regionKinds = t.column(WindowProfiler.KINDS + "region").orElseThrow();
        assertThat(regionKinds.frequency("unseen-category").estimate()).isEqualTo(1);
        assertThat(regionKinds.frequency("missing").estimate()).isEqualTo(1);
        assertThat(regionKinds.frequency("present").estimate()).isEqualTo(1);
        assertThat(t.column(WindowProfiler.KINDS + "amount")
                        .orElseThrow()
                        .frequency("refused")
                        .estimate())
                .isEqualTo(1);
        ColumnSketch amount = t.column(WindowProfiler.FEATURE + "amount").orElseThrow();
        assertThat(amount.count())
                .as("the refused record's features are not profiled")
                .isEqualTo(2);
        assertThat(t.column(WindowProfiler.FEATURE + "region").orElseThrow().missing())
                .isEqualTo(2);
        assertThat(counts(t.column(WindowProfiler.PREDICTED).orElseThrow()))
                .containsExactlyInAnyOrderEntriesOf(Map.of("true", 1L, "false", 1L));
    }

    private static Map<String, Long> counts(ColumnSketch c) {
        Map<String, Long> counts = new HashMap<>();
        for (ValueFrequency f : c.mostFrequent(Integer.MAX_VALUE)) {
            counts.put(f.value(), f.estimate());
        }
        return counts;
    }
}
