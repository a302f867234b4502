package io.tenantml.serving.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tenantml.model.Objective;
import io.tenantml.model.XGBoostParams;
import io.tenantml.serving.Prediction;
import io.tenantml.serving.ServedModel;
import io.tenantml.training.ModelSpec;
import io.tenantml.training.TestDatasets;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TurnBatcherTest {

    private static final long SEED = 11L;
    private static ServedModel penguins;
    private static Vertx vertx;

    @BeforeAll
    static void setUp() throws Exception {
        penguins = ScorerTest.trainAndLoad(
                TestDatasets.penguins(),
                new ModelSpec(
                        "penguins",
                        "Species",
                        null,
                        Objective.MULTICLASS,
                        null,
                        new XGBoostParams(null, null, 20, null, null, null, null, null, null, SEED),
                        null,
                        null,
                        null,
                        null));
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        penguins.close();
    }

    /** Five distinct penguins, one per request, as the transform encodes them. */
    private static List<float[]> rows() {
        List<float[]> rows = new ArrayList<>();
        String[] islands = {"Biscoe", "Dream", "Torgersen", "Biscoe", "Dream"};
        for (int i = 0; i < islands.length; i++) {
            Map<String, Object> record = new HashMap<>(ScorerTest.penguin());
            record.put("Island", islands[i]);
            record.put("Beak Length (mm)", 35.0 + 3 * i);
            record.put("Flipper Length (mm)", 180 + 9 * i);
            rows.add(Scorer.encode(penguins, List.of(record)).data());
        }
        return rows;
    }

    private record Outcome(List<Prediction> predictions, Throwable failure) {}

    private static TurnBatcher.Completion into(CompletableFuture<Outcome> future) {
        return new TurnBatcher.Completion() {
            @Override
            public void scored(List<Prediction> predictions) {
                future.complete(new Outcome(List.copyOf(predictions), null));
            }

            @Override
            public void failed(Throwable cause) {
                future.complete(new Outcome(null, cause));
            }
        };
    }

    @Test
    void shouldScoreTheRequestsOfOneTurnInOneCallAndGiveEachItsOwnRows() throws Exception {
        List<float[]> rows = rows();
        List<int[]> calls = new ArrayList<>();
        TurnBatcher batcher =
                new TurnBatcher((key, scoredRows, requests) -> calls.add(new int[] {scoredRows, requests}));
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        rows.forEach(r -> outcomes.add(new CompletableFuture<>()));

        Context context = vertx.getOrCreateContext();
        CompletableFuture<Boolean> submitted = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            boolean all = true;
            for (int i = 0; i < rows.size(); i++) {
                all &= batcher.submit("penguins@1", penguins, rows.get(i), 1, into(outcomes.get(i)));
            }
            submitted.complete(all);
        });

        assertThat(submitted.get(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < rows.size(); i++) {
            Outcome outcome = outcomes.get(i).get(10, TimeUnit.SECONDS);
            assertThat(outcome.failure()).isNull();
            assertThat(outcome.predictions()).hasSize(1);
            Prediction batched = outcome.predictions().getFirst();
            Prediction alone = Scorer.predict(penguins, rows.get(i), 1, false).getFirst();
            assertThat(batched.label()).as("request %d", i).isEqualTo(alone.label());
            assertThat(batched.score()).as("request %d", i).isCloseTo(alone.score(), within(1e-6));
            assertThat(batched.probabilities()).as("request %d", i).isEqualTo(alone.probabilities());
        }
        // The rows are not all alike (or the check above could not tell them apart).
        assertThat(outcomes.stream()
                        .map(f -> f.join().predictions().getFirst().probabilities())
                        .distinct()
                        .count())
                .isGreaterThan(1);
        assertThat(calls).hasSize(1);
        assertThat(calls.getFirst()).containsExactly(rows.size(), rows.size());
    }

    @Test
    void shouldScoreEachTurnSeparatelyAndEachModelVersionSeparately() throws Exception {
        List<float[]> rows = rows();
        AtomicInteger calls = new AtomicInteger();
        TurnBatcher batcher = new TurnBatcher((key, scoredRows, requests) -> calls.incrementAndGet());
        CompletableFuture<Outcome> first = new CompletableFuture<>();
        CompletableFuture<Outcome> second = new CompletableFuture<>();
        CompletableFuture<Outcome> otherVersion = new CompletableFuture<>();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(ignored -> {
            batcher.submit("penguins@1", penguins, rows.get(0), 1, into(first));
            batcher.submit("penguins@2", penguins, rows.get(1), 1, into(otherVersion));
        });
        first.get(10, TimeUnit.SECONDS);
        context.runOnContext(ignored -> batcher.submit("penguins@1", penguins, rows.get(2), 1, into(second)));
        second.get(10, TimeUnit.SECONDS);
        otherVersion.get(10, TimeUnit.SECONDS);
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void shouldRefuseAMalformedPartWithoutHarmingTheOthersOfItsTurn() throws Exception {
        TurnBatcher batcher = new TurnBatcher((key, scoredRows, requests) -> {});
        CompletableFuture<Outcome> good = new CompletableFuture<>();
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(ignored -> {
            batcher.submit("penguins@1", penguins, rows().getFirst(), 1, into(good));
            try {
                batcher.submit(
                        "penguins@1", penguins, new float[penguins.width() - 1], 1, into(new CompletableFuture<>()));
                refused.complete(null);
            } catch (IllegalArgumentException e) {
                refused.complete(e);
            }
        });
        assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class);
        assertThat(good.get(10, TimeUnit.SECONDS).failure()).isNull();
    }

    @Test
    void shouldDeclineOffTheEventLoop() {
        TurnBatcher batcher = new TurnBatcher((key, scoredRows, requests) -> {});
        assertThat(batcher.submit("penguins@1", penguins, rows().getFirst(), 1, into(new CompletableFuture<>())))
                .isFalse();
    }
}
