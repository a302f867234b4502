package io.tenantml.experts;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.experts.internal.EmbeddingCache;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recommenders' embedding cache is bounded: a vector no build has found or added for the embedding retention (90
 * days by default) is deleted, and a build that finds one keeps it for another retention.
 */
@QuarkusTest
class EmbeddingCacheResourceTest {

    private static final String MODEL = "test-model";

    @Inject
    EmbeddingCache cache;

    @Inject
    ExpertsConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldDeleteVectorsUnusedForTheRetentionAndKeepThoseABuildFoundSince() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        long retentionDays = config.embeddingRetention().toDays();
        TenantId tenant = TenantId.of(Api.uniqueTenant("embcache"));
        Api.createTenant(tenant.value());
        TenantId other = TenantId.of(Api.uniqueTenant("embcache"));
        Api.createTenant(other.value());
        byte[] found = hash("found again"), stale = hash("never asked for again"), shared = hash("in both tenants");
        cache.store(tenant, MODEL, List.of(found, stale, shared), vectors(3), today.minusDays(retentionDays + 100));
        cache.store(other, MODEL, List.of(shared), vectors(1), today);
        // a build inside the retention finds one of them; a lookup dated earlier must not move its mark back
        assertThat(cache.lookup(tenant, MODEL, List.of(found), today.minusDays(retentionDays - 1)))
                .hasSize(1);
        assertThat(cache.lookup(tenant, MODEL, List.of(found), today.minusDays(retentionDays + 50)))
                .hasSize(1);

        assertThat(cache.prune(today)).isGreaterThanOrEqualTo(2);

        assertThat(cache.lookup(tenant, MODEL, List.of(found, stale, shared), today))
                .as("the tenant's vectors after the retention")
                .containsOnlyKeys(hex(found));
        assertThat(cache.lookup(other, MODEL, List.of(shared), today))
                .as("another tenant's vector of the same text, used today")
                .containsOnlyKeys(hex(shared));
    }

    @Test
    void shouldKeepTheVectorsARebuildFoundAndDeleteThemOnceNoBuildUsesThem() throws Exception {
        String tenant = Api.uniqueTenant("embbuild");
        String key = Api.createTenant(tenant);
        ExpertsData.recommenderOver(tenant, key, "r", 120);
        Response first = ExpertsData.build(tenant, key, "r");
        assertThat(first.<String>path("status")).as(first.asString()).isEqualTo("succeeded");
        assertThat(first.<Integer>path("rowsEmbedded")).isEqualTo(120);
        TenantId id = TenantId.of(tenant);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        markUsedOn(tenant, today.minusDays(config.embeddingRetention().toDays() + 1));

        Response second = ExpertsData.build(tenant, key, "r");
        assertThat(second.<String>path("status")).as(second.asString()).isEqualTo("succeeded");
        assertThat(second.<Integer>path("rowsEmbedded"))
                .as("texts embedded again")
                .isZero();
        cache.prune(today);
        assertThat(cache.count(id)).as("vectors the rebuild found").isEqualTo(120);

        markUsedOn(tenant, today.minusDays(config.embeddingRetention().toDays() + 1));
        cache.prune(today);
        assertThat(cache.count(id))
                .as("vectors no build used for the retention")
                .isZero();
    }

    private void markUsedOn(String tenant, LocalDate day) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("update expert_embedding set used_on = ? where tenant_id = ?")) {
            ps.setObject(1, day);
            ps.setString(2, tenant);
            assertThat(ps.executeUpdate()).isPositive();
        }
    }

    private static byte[] hash(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] hash) {
        return java.util.HexFormat.of().formatHex(hash);
    }

    private static List<float[]> vectors(int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> new float[] {i, 1f, 0.5f})
                .toList();
    }
}
