package io.tenantml.serving.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.model.ModelProvenance;
import io.tenantml.model.Objective;
import io.tenantml.model.PositiveClass;
import io.tenantml.model.XGBoostParams;
import io.tenantml.registry.LoadedModel;
import io.tenantml.registry.ModelArtifact;
import io.tenantml.serving.ServedModel;
import io.tenantml.serving.internal.Scorer;
import io.tenantml.training.BoostingListener;
import io.tenantml.training.ModelSpec;
import io.tenantml.training.ModelTrainer;
import io.tenantml.training.TestDatasets;
import io.tenantml.training.TrainedModel;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * In-process single-record prediction: the serving path (JSON record through the model's FeatureTransform,
 * DMatrix, predict, shaping into a Prediction) against the least a caller of raw XGBoost4J must do for the
 * same already-encoded row (DMatrix with feature types, predict). Interleaved blocks, same model, same
 * rows, one XGBoost thread each.
 */
@Tag("benchmark")
class ServingLatencyBenchmarkTest {

    private static final long SEED = 42;
    private static final int ROWS = 1_000;
    private static final int ROUNDS = 10;
    private static final int WARMUP_ROUNDS = 3;

    @Test
    void singleRecordPredictionAgainstRawXGBoost4J() throws Exception {
        TestDatasets.Fixture flights = TestDatasets.flights();
        ModelSpec spec = new ModelSpec(
                "flights",
                "delay",
                List.of("date", "distance", "origin", "destination"),
                Objective.BINARY,
                new PositiveClass(15.0, null),
                new XGBoostParams(6, 0.1, 100, null, null, null, null, null, null, SEED),
                null,
                null,
                null,
                null);
        byte[] file;
        try (TrainedModel trained =
                ModelTrainer.train(spec, flights.schema(), flights.rows().iterator(), 2, BoostingListener.NONE)) {
            file = ModelArtifact.write(
                    trained.booster(),
                    new ModelArtifact.Metadata(
                            trained.transform(),
                            trained.target(),
                            new ModelProvenance(
                                    "bench",
                                    "flights",
                                    "t",
                                    "flights",
                                    1,
                                    "00".repeat(32),
                                    spec.params(),
                                    SEED,
                                    2,
                                    List.of(),
                                    trained.rounds(),
                                    trained.bestIteration(),
                                    "3.4.0",
                                    Runtime.version().toString(),
                                    "bench",
                                    Instant.now(),
                                    trained.split())));
        }
        String sha = ModelArtifact.sha256(file);

        // Cold load: SHA-256 check plus XGBoost parsing the UBJSON (the registry adds reading the blob).
        long[] loads = new long[30];
        for (int i = 0; i < loads.length; i++) {
            long t = System.nanoTime();
            try (LoadedModel m = ModelArtifact.read(file, sha)) {
                loads[i] = System.nanoTime() - t;
            }
        }

        List<Map<String, Object>> records;
        try (InputStream in = getClass().getResourceAsStream("/datasets/flights-20k.json")) {
            records = new ObjectMapper()
                    .readValue(in, new TypeReference<List<Map<String, Object>>>() {})
                    .subList(0, ROWS);
        }
        try (ServedModel model = new ServedModel(ModelArtifact.read(file, sha))) {
            model.model().booster().setParam("nthread", 1);
            FeatureTransform transform = model.transform();
            int width = transform.width();
            float[][] encoded = new float[ROWS][];
            for (int i = 0; i < ROWS; i++) {
                encoded[i] = transform.encode(records.get(i)).features();
            }
            String[] types = transform.featureTypes();
            Booster booster = model.model().booster();

            long[] served = new long[ROUNDS * ROWS];
            long[] raw = new long[ROUNDS * ROWS];
            long[] explained = new long[ROUNDS * ROWS];
            long[] encoding = new long[ROUNDS * ROWS];
            long[] rawDMatrix = new long[ROUNDS * ROWS];
            double checksum = 0;
            for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
                boolean measured = round >= WARMUP_ROUNDS;
                int at = (round - WARMUP_ROUNDS) * ROWS;
                for (int i = 0; i < ROWS; i++) {
                    long tm = System.nanoTime();
                    DMatrix m = new DMatrix(encoded[i], 1, width, Float.NaN);
                    m.setFeatureTypes(types);
                    float dmatrixScore = booster.predict(m)[0][0];
                    m.dispose();
                    long t0 = System.nanoTime();
                    float rawScore = booster.inplace_predict(encoded[i], 1, width, Float.NaN)[0][0];
                    long t1 = System.nanoTime();
                    double servedScore = Scorer.score(model, List.of(records.get(i)), false)
                            .predictions()
                            .get(0)
                            .score();
                    long t2 = System.nanoTime();
                    Scorer.score(model, List.of(records.get(i)), true);
                    long t3 = System.nanoTime();
                    transform.encode(records.get(i));
                    long t4 = System.nanoTime();
                    if (measured) {
                        rawDMatrix[at + i] = t0 - tm;
                        encoding[at + i] = t4 - t3;
                        raw[at + i] = t1 - t0;
                        served[at + i] = t2 - t1;
                        explained[at + i] = t3 - t2;
                    }
                    assertThat(servedScore).isEqualTo((double) rawScore);
                    assertThat(dmatrixScore).isEqualTo(rawScore);
                    checksum += servedScore;
                }
            }
            double rawP50 = BenchmarkStats.percentileMicros(raw, 50);
            double servedP50 = BenchmarkStats.percentileMicros(served, 50);
            double ratio = servedP50 / Math.min(rawP50, BenchmarkStats.percentileMicros(rawDMatrix, 50));
            String report = String.format(
                    Locale.ROOT,
                    """
                    ### In-process single-record prediction vs raw XGBoost4J

                    Model: flights-20k, binary (delay > 15), 100 rounds, depth 6, %d features (native categorical
                    origin/destination), file %,d bytes. %d rows x %d rounds measured (after %d warm-up rounds),
                    interleaved per row, one XGBoost thread. Checksum %.3f.

                    | path | p50 µs | p99 µs |
                    | --- | ---: | ---: |
                    | raw XGBoost4J: inplace_predict(float[]) | %.1f | %.1f |
                    | raw XGBoost4J: DMatrix(float[]) + feature types + predict | %.1f | %.1f |
                    | serving: JSON record -> FeatureTransform -> inplace_predict -> Prediction | %.1f | %.1f |
                    | serving with explain (adds margin + SHAP contributions) | %.1f | %.1f |
                    | of which FeatureTransform.encode of the JSON record alone | %.1f | %.1f |

                    **p50 ratio serving / the faster raw call: %.2fx** (goal <= 1.5x).

                    Cold load of the model (SHA-256 check + XGBoost parse of the UBJSON bytes, %d loads): p50 %.1f ms,
                    max %.1f ms.
                    """,
                    width,
                    file.length,
                    ROWS,
                    ROUNDS,
                    WARMUP_ROUNDS,
                    checksum,
                    rawP50,
                    BenchmarkStats.percentileMicros(raw, 99),
                    BenchmarkStats.percentileMicros(rawDMatrix, 50),
                    BenchmarkStats.percentileMicros(rawDMatrix, 99),
                    servedP50,
                    BenchmarkStats.percentileMicros(served, 99),
                    BenchmarkStats.percentileMicros(explained, 50),
                    BenchmarkStats.percentileMicros(explained, 99),
                    BenchmarkStats.percentileMicros(encoding, 50),
                    BenchmarkStats.percentileMicros(encoding, 99),
                    ratio,
                    loads.length,
                    BenchmarkStats.percentileMicros(loads, 50) / 1000,
                    BenchmarkStats.percentileMicros(loads, 100) / 1000);
            BenchmarkStats.write("serving-latency", report);
        }
    }
}
