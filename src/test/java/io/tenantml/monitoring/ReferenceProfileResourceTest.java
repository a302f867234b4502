package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What a training leaves for monitoring: the version's reference profile, and its leakage warnings on the
 * training and on the version.
 */
@QuarkusTest
class ReferenceProfileResourceTest {

    private static final long SEED = 7L;

    @Inject
    ReferenceProfiles references;

    @Inject
    TenantScope scope;

    /** Orders whose total is subtotal + fee exactly: subtotal alone explains 99.99% of it. */
    private static byte[] orders(int rows) {
        SplittableRandom random = new SplittableRandom(SEED);
        StringBuilder csv = new StringBuilder("subtotal,fee,region,total\n");
        String[] regions = {"north", "east", "south", "west"};
        for (int i = 0; i < rows; i++) {
            double subtotal = Math.round(random.nextDouble() * 100_000) / 100.0;
            double fee = Math.round(random.nextDouble() * 1000) / 100.0;
            csv.append(String.format(
                    Locale.ROOT, "%.2f,%.2f,%s,%.2f%n", subtotal, fee, regions[random.nextInt(4)], subtotal + fee));
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldStoreTheVersionsReferenceAndReportTheLeakingComponentOfTheTotal() {
        String tenant = Api.uniqueTenant("ref");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadVersion(tenant, admin, "orders", "text/csv", orders(1500));
        Fixtures.defineModel(
                tenant,
                admin,
                "totals",
                Map.of(
                        "dataset",
                        "orders",
                        "target",
                        "total",
                        "objective",
                        "regression",
                        "params",
                        Map.of("numRounds", 10, "seed", SEED)),
                true);
        String training = Fixtures.startTraining(tenant, admin, "totals");
        Response end = Fixtures.awaitEnd(admin, Fixtures.trainingPath(tenant, training));
        assertThat(end.<String>path("status")).as(end.asString()).isEqualTo("succeeded");
        int version = end.path("modelVersion");

        // the training's warnings and the version's metadata name subtotal, and only it
        assertThat(end.<List<String>>path("warnings.column")).as(end.asString()).containsExactly("subtotal");
        assertThat(end.<List<String>>path("warnings.kind")).containsExactly("likely-leakage");
        assertThat(end.<List<String>>path("warnings.measure")).containsExactly("r-squared");
        Response v = Api.as(admin).get(Fixtures.base(tenant) + "/models/totals/versions/" + version);
        assertThat(v.<List<String>>path("warnings.column")).as(v.asString()).containsExactly("subtotal");

        ReferenceProfile profile = scope.call(new TenantId(tenant), () -> references.find("totals", version))
                .orElseThrow();
        assertThat(profile.features())
                .extracting(ReferenceProfile.FeatureReference::feature)
                .containsExactly("subtotal", "fee", "region");
        ReferenceProfile.FeatureReference region = profile.features().get(2);
        assertThat(region.kind()).isEqualTo(FeatureKind.CATEGORICAL);
        assertThat(region.categories().total()).isEqualTo(region.rows() - region.missing());
        ReferenceProfile.FeatureReference subtotal = profile.features().get(0);
        assertThat(subtotal.quantiles().count()).isEqualTo(subtotal.rows());
        assertThat(subtotal.quantiles().max()).isLessThanOrEqualTo(1000.0);
        assertThat(profile.validation().outputNames()).containsExactly("score");
        assertThat(profile.validation().labelValues().count())
                .isEqualTo(profile.validation().rows());
        ReferenceProfile.MetricEstimate r2 = profile.metrics().get("r2");
        assertThat(r2.lower()).isLessThanOrEqualTo(r2.value());
        assertThat(r2.upper()).isGreaterThanOrEqualTo(r2.value());
        assertThat(r2.resamples()).isPositive();
        assertThat(profile.provenance().dataset()).isEqualTo("orders");
        assertThat(profile.provenance().trainingId()).isEqualTo(training);
        assertThat(profile.provenance().seed()).isEqualTo(SEED);
        assertThat(profile.provenance().trainRows() + profile.provenance().validationRows())
                .isEqualTo(1500);

        // another tenant asking for the same model and version finds nothing
        String other = Api.uniqueTenant("refx");
        Api.createTenant(other);
        Optional<ReferenceProfile> foreign = scope.call(new TenantId(other), () -> references.find("totals", version));
        assertThat(foreign).isEmpty();
    }
}
