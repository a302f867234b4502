package io.tenantml.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.model.GateDecision;
import io.tenantml.model.Metrics;
import io.tenantml.monitoring.PerformanceAssessment;
import io.tenantml.registry.ModelVersionView;
import io.tenantml.registry.VersionStatus;
import io.tenantml.shared.TenantId;
import io.tenantml.usage.CostService;
import io.tenantml.usage.Meter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic of one cost-against-value row, without a database. */
class CostValueReportTest {

    static ModelVersionView version(int number, String createdAt, long bytes, VersionStatus status, GateDecision gate) {
        return new ModelVersionView(
                "m",
                number,
                Instant.parse(createdAt),
                null,
                status,
                "",
                null,
                null,
                null,
                0,
                Map.of(),
                Map.of(),
                gate,
                Map.of(),
                null,
                null,
                new ModelVersionView.Artifact("sha", bytes, "ubj"),
                null,
                List.of(),
                List.of(),
                null);
    }

    static final CostService.ModelCost COST = cost(List.of());

    /** The model cost of these tests, with {@code unpriced} meters. */
    static CostService.ModelCost cost(List<Meter> unpriced) {
        return new CostService.ModelCost(
                TenantId.of("acme"),
                "m",
                new BigDecimal("0.250000"),
                new BigDecimal("0.750000"),
                1500,
                500,
                BigDecimal.ONE,
                unpriced);
    }

    @Test
    void shouldPriceEachDaysArtifactsFromTheirVersionsCreationDay() {
        List<LocalDate> days =
                CostValueReport.days(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-04T00:00:00Z"));
        assertThat(days)
                .containsExactly(
                        LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-02"), LocalDate.parse("2026-11-03"));
        // v1 (2 GB) held all three days, v2 (1 GB) from 11-02: 2 + 3 + 3 = 8 GB-days; 11-03 at a new price
        List<ModelVersionView> versions = List.of(
                version(1, "2026-10-20T10:00:00Z", 2_000_000_000L, VersionStatus.ACCEPTED, null),
                version(2, "2026-11-02T23:00:00Z", 1_000_000_000L, VersionStatus.REJECTED, null));
        Map<LocalDate, BigDecimal> prices = Map.of(
                LocalDate.parse("2026-11-01"), new BigDecimal("0.01"),
                LocalDate.parse("2026-11-02"), new BigDecimal("0.01"),
                LocalDate.parse("2026-11-03"), new BigDecimal("0.02"));
        CostValueRow row = CostValueReport.row(COST, versions, null, "EUR", days, prices, null);
        // 2 × 0.01 + 3 × 0.01 + 3 × 0.02 = 0.11
        assertThat(row.storageCost()).isEqualByComparingTo("0.11");
        assertThat(row.totalCost()).isEqualByComparingTo("1.11");
        // 1.11 × 1000 / 2000 records
        assertThat(row.costPerThousandRecords()).isEqualByComparingTo("0.555");
        assertThat(row.version())
                .as("the latest accepted version, without a production alias")
                .isEqualTo(1);
        assertThat(row.unpricedMeters()).isEmpty();
    }

    /** A day whose card does not price storage costs the artifacts 0, and the row says which meter went unpriced. */
    @Test
    void shouldFlagArtifactStorageOnADayNoCardPricesBesideTheMeteredUnpricedMeters() {
        List<LocalDate> days =
                CostValueReport.days(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-03T00:00:00Z"));
        List<ModelVersionView> versions =
                List.of(version(1, "2026-10-20T10:00:00Z", 2_000_000_000L, VersionStatus.ACCEPTED, null));
        CostService.ModelCost wallUnpriced = cost(List.of(Meter.TRAINING_WALL_SECONDS));
        CostValueRow row = CostValueReport.row(
                wallUnpriced,
                versions,
                null,
                "EUR",
                days,
                Map.of(LocalDate.parse("2026-11-02"), new BigDecimal("0.01")),
                null);
        assertThat(row.storageCost()).isEqualByComparingTo("0.02");
        assertThat(row.unpricedMeters()).containsExactly(Meter.STORAGE_BYTE_DAYS, Meter.TRAINING_WALL_SECONDS);
        assertThat(CostValueReport.row(
                                wallUnpriced,
                                versions,
                                null,
                                "EUR",
                                days,
                                Map.of(
                                        LocalDate.parse("2026-11-01"), BigDecimal.ZERO,
                                        LocalDate.parse("2026-11-02"), BigDecimal.ZERO),
                                null)
                        .unpricedMeters())
                .as("storage priced 0 is free, not unpriced")
                .containsExactly(Meter.TRAINING_WALL_SECONDS);
    }

    @Test
    void shouldMeasureLiftInTheMetricsBetterDirection() {
        GateDecision auc = new GateDecision(true, "auc", 0.81, null, 0.5, "", null, null);
        GateDecision rmse = new GateDecision(true, "rmse", 3.0, null, 4.5, "", null, null);
        List<LocalDate> none = List.of();
        CostValueRow higher = CostValueReport.row(
                COST,
                List.of(version(3, "2026-11-01T00:00:00Z", 1, VersionStatus.ACCEPTED, auc)),
                3,
                "EUR",
                none,
                Map.of(),
                null);
        CostValueRow lower = CostValueReport.row(
                COST,
                List.of(version(3, "2026-11-01T00:00:00Z", 1, VersionStatus.ACCEPTED, rmse)),
                3,
                "EUR",
                none,
                Map.of(),
                null);
        assertThat(higher.lift()).isCloseTo(0.31, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(lower.lift()).isCloseTo(1.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(higher.metric()).isEqualTo("auc");
        assertThat(higher.realisedPerformance()).isNull();
    }

    @Test
    void shouldLeaveValueEmptyWithoutAnAcceptedVersion() {
        CostValueRow row = CostValueReport.row(
                new CostService.ModelCost(
                        TenantId.of("acme"),
                        "m",
                        BigDecimal.ZERO.setScale(6),
                        BigDecimal.ZERO.setScale(6),
                        0,
                        0,
                        BigDecimal.ZERO,
                        List.of()),
                List.of(version(1, "2026-11-01T00:00:00Z", 10, VersionStatus.REJECTED, null)),
                null,
                null,
                List.of(),
                Map.of(),
                null);
        assertThat(row.version()).isNull();
        assertThat(row.lift()).isNull();
        assertThat(row.costPerThousandRecords()).isNull();
    }

    @Test
    void shouldStateRealisedPerformanceInTheGateMetricAndNothingWithoutLabels() {
        GateDecision auc = new GateDecision(true, "auc", 0.81, null, 0.5, "", null, null);
        List<ModelVersionView> versions = List.of(version(3, "2026-11-01T00:00:00Z", 1, VersionStatus.ACCEPTED, auc));
        PerformanceAssessment.Realised labelled = new PerformanceAssessment.Realised(
                40,
                2,
                Map.of(
                        "auc", new Metrics.Interval(0.7, 0.6, 0.8, 0.95, 200),
                        "accuracy", new Metrics.Interval(0.9, 0.85, 0.95, 0.95, 200)),
                "bootstrap");
        RealisedFigure realised = CostValueReport.row(COST, versions, 3, "EUR", List.of(), Map.of(), labelled)
                .realisedPerformance();
        assertThat(realised)
                .as("the lift's metric, not the first one monitoring names")
                .isEqualTo(new RealisedFigure("auc", 0.7, 0.6, 0.8, 0.95, 40, 2, "bootstrap"));

        // labels of one class only: auc is undefined, yet the labels are stated
        PerformanceAssessment.Realised oneClass = new PerformanceAssessment.Realised(
                5, 0, Map.of("accuracy", new Metrics.Interval(1, 1, 1, 0.95, 200)), "bootstrap");
        assertThat(CostValueReport.row(COST, versions, 3, "EUR", List.of(), Map.of(), oneClass)
                        .realisedPerformance())
                .isEqualTo(new RealisedFigure("auc", null, null, null, 0.95, 5, 0, "bootstrap"));

        PerformanceAssessment.Realised none = new PerformanceAssessment.Realised(0, 3, Map.of(), "bootstrap");
        assertThat(CostValueReport.row(COST, versions, 3, "EUR", List.of(), Map.of(), none)
                        .realisedPerformance())
                .as("feedback naming no class is no realised figure")
                .isNull();
    }
}
