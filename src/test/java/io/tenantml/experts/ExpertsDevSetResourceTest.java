package io.tenantml.experts;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.experts.internal.EmbeddingCache;
import io.tenantml.experts.internal.MiniLmEmbedder;
import io.tenantml.experts.internal.Vectors;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 1 over the API: the whole dev set uploaded as a tenant dataset, a recommender, a build; the
 * build's stored metrics show the served ranking and both baselines side by side on the same temporal split.
 * The 7,158 vectors are computed once per test JVM ({@link DevSet}) and put in the tenant's embedding cache
 * first (the model is deterministic, and the cache is keyed by model and text hash), so the build embeds
 * nothing here.
 */
@QuarkusTest
class ExpertsDevSetResourceTest {

    @Inject
    EmbeddingCache cache;

    @Test
    void shouldBeatBothBaselinesOnTheDevSetAndStoreAllThreeWithTheBuild() {
        DevSet dev = DevSet.get();
        String tenant = Api.uniqueTenant("devset");
        String admin = Api.createTenant(tenant);
        List<byte[]> hashes = new ArrayList<>();
        dev.docs.forEach(d -> hashes.add(Vectors.contentHash(d.text())));
        cache.store(
                new TenantId(tenant),
                MiniLmEmbedder.MODEL,
                hashes,
                dev.vectors,
                java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        ExpertsData.declare(tenant, admin, ExpertsData.DATASET);
        Fixtures.uploadVersion(tenant, admin, ExpertsData.DATASET, "text/csv", dev.csv);
        ExpertsData.put(tenant, admin, "dev", ExpertsData.spec(ExpertsData.DATASET));
        Response build = ExpertsData.build(tenant, admin, "dev");
        System.out.println("dev-set build: " + build.asString());
        assertThat(build.<String>path("status")).as(build.asString()).isEqualTo("succeeded");
        assertThat(build.<Integer>path("rowsEmbedded"))
                .as("every vector came from the cache")
                .isZero();
        Map<String, Float> served = build.path("evaluation.served").equals("reranked")
                ? build.path("evaluation.reranked")
                : build.path("evaluation.unlearned");
        float mostActive = build.path("evaluation.mostActive.mrrAt10");
        float bm25 = build.path("evaluation.bm25Votes.mrrAt10");
        // the baselines as the issue measured them on this split: 0.274 and 0.289
        assertThat((double) mostActive).isCloseTo(0.274, org.assertj.core.data.Offset.offset(0.01));
        assertThat((double) bm25).isCloseTo(0.289, org.assertj.core.data.Offset.offset(0.01));
        assertThat(served.get("mrrAt10")).isGreaterThan(mostActive).isGreaterThan(bm25);
    }
}
