package io.tenantml.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetSchema;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Decoding what the prediction log keeps back into the record's raw values (for appending feedback rows). */
class FeatureTransformDecodeTest {

    private static final DatasetSchema SCHEMA = new DatasetSchema(
            List.of(
                    new ColumnSchema("amount", ColumnType.NUMERIC, true, null, null, null),
                    new ColumnSchema("count", ColumnType.INTEGER, true, null, null, null),
                    new ColumnSchema("member", ColumnType.BOOLEAN, true, null, null, null),
                    new ColumnSchema("city", ColumnType.CATEGORICAL, true, null, null, null),
                    new ColumnSchema("at", ColumnType.TIMESTAMP, true, null, null, null)),
            null,
            null);

    private static final Instant TUESDAY = Instant.parse("2024-03-05T13:30:00Z");

    private static FeatureTransform fitted() {
        FeatureTransform.Fitter fitter =
                FeatureTransform.fitter(SCHEMA, List.of("amount", "count", "member", "city", "at"));
        fitter.observe(new Object[] {1.0, 1L, true, "Paris", TUESDAY});
        fitter.observe(new Object[] {200.0, 2L, false, "Oslo", TUESDAY});
        return fitter.fit();
    }

    private static Optional<Map<String, Object>> roundTrip(FeatureTransform t, Map<String, Object> record) {
        EncodedRecord encoded = t.encode(record);
        return t.decode(encoded.kinds(), encoded.features());
    }

    @Test
    void shouldGiveBackTheRecordsValuesOfEveryKind() {
        FeatureTransform t = fitted();
        Map<String, Object> record = new HashMap<>();
        record.put("amount", 12.8); // a float holds 12.800000190734863: written back as 12.8
        record.put("count", 7);
        record.put("member", false);
        record.put("city", "Oslo");
        record.put("at", "2024-03-05T23:59:00Z");
        Map<String, Object> decoded = roundTrip(t, record).orElseThrow();
        assertThat(decoded)
                .containsEntry("amount", 12.8)
                .containsEntry("count", 7L)
                .containsEntry("member", false)
                .containsEntry("city", "Oslo")
                .containsEntry("at", Instant.parse("2024-03-05T23:59:00Z"));
        assertThat(decoded.keySet()).containsExactly("amount", "count", "member", "city", "at");
    }

    @Test
    void shouldGiveBackMissingValuesAsNullAndOutOfRangeNumbersAsTheyWere() {
        FeatureTransform t = fitted();
        Map<String, Object> record = new HashMap<>();
        record.put("amount", 5000.25); // above the training maximum of 200: out of range, encoded as it is
        record.put("city", null);
        Map<String, Object> decoded = roundTrip(t, record).orElseThrow();
        assertThat(decoded).containsEntry("amount", 5000.25);
        assertThat(decoded.get("count")).isNull();
        assertThat(decoded.get("member")).isNull();
        assertThat(decoded.get("city")).isNull();
        assertThat(decoded.get("at")).isNull();
    }

    @Test
    void shouldGiveNothingBackForAnUnseenCategoryWhoseValueTheEncodingLost() {
        FeatureTransform t = fitted();
        assertThat(roundTrip(t, Map.of("amount", 1.0, "city", "Rome"))).isEmpty();
    }

    @Test
    void shouldGiveBackEveryMinuteOfTimestampsAcrossCenturiesExactly() {
        // the day count's float error (about three minutes now) must never move a value across midnight
        long seed = 20261130L;
        SplittableRandom random = new SplittableRandom(seed);
        FeatureTransform t = fitted();
        for (int i = 0; i < 20_000; i++) {
            long minute = random.nextLong(-60L * 24 * 365 * 50, 60L * 24 * 365 * 130);
            if (i < 4) {
                minute = (minute / (24 * 60)) * 24 * 60 + new long[] {0, 1, 1439, 1438}[i]; // around midnight
            }
            Instant at = Instant.ofEpochSecond(minute * 60);
            Map<String, Object> decoded =
                    roundTrip(t, Map.of("at", at.toString())).orElseThrow();
            assertThat(decoded.get("at")).as("seed %d, %s", seed, at).isEqualTo(at);
        }
    }
}
