package io.tenantml.experts;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.experts.internal.Evaluator;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 1 on the engine alone (no HTTP, no database): the dev set, last 10% by time held out, known
 * experts only. The suite checks the same through the API in {@code ExpertsDevSetResourceTest}; this one is for
 * working on the ranking (it prints every metric) and is tagged so that CI does not evaluate twice.
 */
@org.junit.jupiter.api.Tag("benchmark")
class ExpertRankingQualityTest {

    @Test
    void shouldBeatBothBaselinesOnTheDevSetHoldout() throws Exception {
        DevSet dev = DevSet.get();
        long started = System.nanoTime();
        Evaluator.Result result =
                Evaluator.evaluate(dev.docs, dev.vectors, 0.1, RankingSettings.DEFAULTS, true, 42, 2, p -> {});
        BuildEvaluation e = result.evaluation();
        System.out.printf("evaluation in %.1f s: %s%n", (System.nanoTime() - started) / 1e9, e);
        if (result.reranker() != null) {
            result.reranker().close();
        }
        RankingMetrics served = e.servedMetrics();
        assertThat(served.mrrAt10())
                .isGreaterThan(e.mostActive().mrrAt10())
                .isGreaterThan(e.bm25Votes().mrrAt10());
    }
}
