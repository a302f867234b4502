package io.tenantml.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetSchema;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.Test;

class FeatureTransformTest {

    private static final DatasetSchema SCHEMA = new DatasetSchema(
            List.of(
                    new ColumnSchema("id", ColumnType.TEXT, false, null, null, null),
                    new ColumnSchema("amount", ColumnType.NUMERIC, true, null, null, null),
                    new ColumnSchema("count", ColumnType.INTEGER, true, null, null, null),
                    new ColumnSchema("member", ColumnType.BOOLEAN, true, null, null, null),
                    new ColumnSchema("city", ColumnType.CATEGORICAL, true, null, null, null),
                    new ColumnSchema("at", ColumnType.TIMESTAMP, true, null, null, null)),
            "id",
            "at");

    private static final List<String> FEATURES = List.of("amount", "count", "member", "city", "at");
    // 2024-03-05 was a Tuesday: day 2 of the ISO week; 13:30 UTC is hour 13.5; 19787 days after 1970-01-01
    private static final Instant TUESDAY = Instant.parse("2024-03-05T13:30:00Z");

    private static FeatureTransform fitted() {
        FeatureTransform.Fitter fitter = FeatureTransform.fitter(SCHEMA, FEATURES);
        fitter.observe(new Object[] {"a", 1.0, 1L, true, "Paris", TUESDAY});
        fitter.observe(new Object[] {"b", 2.0, 2L, false, "Oslo", TUESDAY});
        fitter.observe(new Object[] {"c", null, null, null, "Oslo", null});
        return fitter.fit();
    }

    @Test
    void shouldEncodeEachKindAndKeepMissingAsNaN() {
        FeatureTransform transform = fitted();
        assertThat(transform.featureNames())
                .containsExactly(
                        "amount",
                        "count",
                        "member",
                        "city",
                        "at.dayOfWeek",
                        "at.hour",
                        "at.month",
                        "at.daysSinceEpoch");
        assertThat(transform.featureTypes()).containsExactly("q", "q", "q", "c", "q", "q", "q", "q");
        // dictionary sorted by name: Oslo 0, Paris 1
        assertThat(transform.inputs().get(3).categories()).containsExactly("Oslo", "Paris");

        float[] out = new float[transform.width()];
        transform.bind(SCHEMA).encode(new Object[] {"x", 2.5, 7L, true, "Paris", TUESDAY}, out, 0);
        assertThat(out).containsExactly(2.5f, 7f, 1f, 1f, 2f, 13.5f, 3f, 19787.5625f);

        transform.bind(SCHEMA).encode(new Object[] {"y", null, null, false, "Rome", null}, out, 0);
        assertThat(Float.isNaN(out[0])).isTrue();
        assertThat(Float.isNaN(out[1])).isTrue();
        assertThat(out[2]).isZero();
        assertThat(Float.isNaN(out[3])).as("unseen category becomes missing").isTrue();
        for (int i = 4; i < 8; i++) {
            assertThat(Float.isNaN(out[i])).isTrue();
        }
    }

    @Test
    void shouldEncodeJsonRecordsLikeDatasetRowsAndReportWarnings() {
        FeatureTransform transform = fitted();
        Map<String, Object> record = new HashMap<>();
        record.put("amount", 2.5);
        record.put("count", 7);
        record.put("member", true);
        record.put("city", "Paris");
        record.put("at", "2024-03-05T13:30:00Z");
        float[] fromRow = new float[transform.width()];
        transform.bind(SCHEMA).encode(new Object[] {"x", 2.5, 7L, true, "Paris", TUESDAY}, fromRow, 0);
        assertThat(transform.encode(record).features()).containsExactly(fromRow);

        record.remove("amount");
        record.put("city", "Rome");
        record.put("colour", "red");
        EncodedRecord encoded = transform.encode(record);
        assertThat(encoded.missing()).containsExactly("amount");
        assertThat(encoded.unseen()).containsExactly("city");
        assertThat(encoded.unknownFields()).containsExactly("colour");
    }

    @Test
    void shouldRejectAStringWhereANumberBelongsNamingTheField() {
        assertThatThrownBy(() -> fitted().encode(Map.of("amount", "12")))
                .isInstanceOfSatisfying(
                        InvalidFeatureValueException.class,
                        e -> assertThat(e.field()).isEqualTo("amount"));
    }

    @Test
    void shouldSurviveAJsonRoundTrip() {
        FeatureTransform transform = fitted();
        FeatureTransform back = FeatureTransform.fromJson(transform.toJson());
        assertThat(back).isEqualTo(transform);
        assertThat(back.toJson()).isEqualTo(transform.toJson());
    }

    @Test
    void shouldReadTheCommittedGoldenFormat() {
        // a golden file: a format change that would break saved models fails here
        String golden = """
                {"formatVersion":1,"inputs":[{"column":"amount","kind":"numeric"},{"column":"member","kind":"boolean"},\
                {"column":"city","kind":"categorical","categories":["Oslo","Paris"]},{"column":"at","kind":"timestamp"}]}""";
        FeatureTransform transform = FeatureTransform.fromJson(golden);
        assertThat(transform.width()).isEqualTo(7);
        assertThat(transform.toJson()).isEqualTo(golden);
    }

    @Test
    void shouldBuildAMatrixWithCategoricalFeatureTypes() throws Exception {
        FeatureTransform transform = fitted();
        float[] data = new float[transform.width() * 2];
        java.util.Arrays.fill(data, Float.NaN);
        DMatrix matrix = transform.matrix(data, 2);
        try {
            assertThat(matrix.getFeatureTypes()).containsExactly(transform.featureTypes());
            assertThat(matrix.rowNum()).isEqualTo(2);
            assertThat(matrix.nonMissingNum()).as("NaN is missing, not a value").isZero();
        } finally {
            matrix.dispose();
        }
    }
}
