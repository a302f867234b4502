package io.tenantml.reporting;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.model.GateDecision;
import io.tenantml.model.Metrics;
import io.tenantml.monitoring.PerformanceAssessment;
import io.tenantml.monitoring.RealisedPerformance;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.registry.ModelVersionView;
import io.tenantml.registry.VersionStatus;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.usage.CostService;
import io.tenantml.usage.Meter;
import io.tenantml.usage.RateCards;
import io.tenantml.usage.UsageQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cost against value per tenant and model (operators only). Costs come from {@link CostService} (metered usage priced
 * per day by the rate card) plus the model's stored artifacts; value from the registry's record of the version in
 * use (its gate metric against the baseline), the records it served and, where feedback exists, its realised
 * performance in the period (monitoring's {@link RealisedPerformance}). One row per model that had metered usage in
 * the period, paged by (tenant, model).
 */
@ApplicationScoped
public class CostValueReport {

    @Inject
    CostService costs;

    @Inject
    RateCards rateCards;

    @Inject
    ModelRegistry registry;

    @Inject
    RealisedPerformance performance;

    @Inject
    TenantScope tenantScope;

    /** What the model's tenant knows of it: read in one transaction inside the tenant's scope. */
    private record Valuation(
            List<ModelVersionView> versions, Integer production, PerformanceAssessment.Realised realised) {}

    public Page<CostValueRow> report(UsageQuery query, PageRequest page) {
        Page<CostService.ModelCost> models = costs.modelCosts(query, page);
        String currency = rateCards.currency().orElse(null);
        List<LocalDate> days = days(query.from(), query.to());
        Map<LocalDate, BigDecimal> storagePrices =
                costs.unitPrices(Meter.STORAGE_BYTE_DAYS, days.isEmpty() ? null : days.get(0), days.size());
        List<CostValueRow> rows = new ArrayList<>();
        for (CostService.ModelCost m : models.items()) {
            Valuation v = tenantScope.call(
                    m.tenant(), () -> QuarkusTransaction.requiringNew().call(() -> valuation(m.model(), query)));
            rows.add(row(m, v.versions(), v.production(), currency, days, storagePrices, v.realised()));
        }
        return new Page<>(rows, models.next());
    }

    /**
     * The model's versions, its production version and the realised performance of the valued version (see
     * {@link #valued}) on its predictions made in the period: only the realised part, never CBPE's estimate, which
     * would read every logged prediction of the period.
     */
    private Valuation valuation(String model, UsageQuery query) {
        List<ModelVersionView> versions = versions(model);
        Integer production =
                registry.aliasVersion(model, ModelRegistry.PRODUCTION).orElse(null);
        ModelVersionView valued = valued(versions, production);
        PerformanceAssessment.Realised realised =
                valued == null ? null : performance.realised(model, valued.version(), query.from(), query.to());
        return new Valuation(versions, production, realised);
    }

    private List<ModelVersionView> versions(String model) {
        List<ModelVersionView> all = new ArrayList<>();
        PageRequest request = PageRequest.first(PageRequest.MAX_LIMIT);
        while (request != null) {
            Page<ModelVersionView> page = registry.versions(model, request);
            all.addAll(page.items());
            request = page.next() == null ? null : PageRequest.of(PageRequest.MAX_LIMIT, page.next());
        }
        return all;
    }

    static CostValueRow row(
            CostService.ModelCost m,
            List<ModelVersionView> versions,
            Integer production,
            String currency,
            List<LocalDate> days,
            Map<LocalDate, BigDecimal> storagePrices,
            PerformanceAssessment.Realised realised) {
        BigDecimal storage = BigDecimal.ZERO.setScale(CostService.COST_SCALE);
        boolean storageUnpriced = false;
        for (LocalDate day : days) {
            long bytes = 0;
            for (ModelVersionView v : versions) {
                if (v.artifact() != null
                        && !LocalDate.ofInstant(v.createdAt(), ZoneOffset.UTC).isAfter(day)) {
                    bytes += v.artifact().bytes();
                }
            }
            BigDecimal price = storagePrices.get(day);
            storageUnpriced |= bytes > 0 && price == null;
            if (bytes > 0 && price != null) {
                storage = storage.add(BigDecimal.valueOf(bytes)
                        .multiply(price)
                        .divide(BigDecimal.valueOf(Meter.STORAGE_BYTE_DAYS.unitsPerBillingUnit()))
                        .setScale(CostService.COST_SCALE, RoundingMode.HALF_UP));
            }
        }
        BigDecimal total = m.trainingCost().add(m.servingCost()).add(storage);
        long served = m.predictRecords() + m.batchRecords();
        BigDecimal perThousand = served == 0
                ? null
                : total.multiply(BigDecimal.valueOf(1000))
                        .divide(BigDecimal.valueOf(served), CostService.COST_SCALE, RoundingMode.HALF_UP);
        ModelVersionView valued = valued(versions, production);
        GateDecision gate = valued == null ? null : valued.gate();
        Double lift = null;
        if (gate != null && gate.metric() != null) {
            lift = Metrics.higherIsBetter(gate.metric())
                    ? gate.candidate() - gate.baseline()
                    : gate.baseline() - gate.candidate();
        }
        return new CostValueRow(
                m.tenant().value(),
                m.model(),
                m.trainingCost(),
                m.servingCost(),
                storage,
                total,
                currency,
                unpriced(m.unpricedMeters(), storageUnpriced),
                m.predictRecords(),
                m.batchRecords(),
                perThousand,
                valued == null ? null : valued.version(),
                gate == null ? null : gate.metric(),
                gate == null ? null : gate.candidate(),
                gate == null ? null : gate.baseline(),
                lift,
                valued == null
                        ? null
                        : RealisedFigure.of(realisedMetric(valued), RealisedPerformance.CONFIDENCE, realised));
    }

    /** The metered meters left unpriced, with storage.byte_days when the artifacts' storage was, in wire order. */
    private static List<Meter> unpriced(List<Meter> metered, boolean storage) {
        if (!storage) {
            return metered;
        }
        return java.util.stream.Stream.concat(metered.stream(), java.util.stream.Stream.of(Meter.STORAGE_BYTE_DAYS))
                .distinct()
                .sorted(java.util.Comparator.comparing(Meter::wireName))
                .toList();
    }

    /** The version the value figures are of: the production alias's, else the latest accepted one, else none. */
    static ModelVersionView valued(List<ModelVersionView> versions, Integer production) {
        ModelVersionView valued = null;
        for (ModelVersionView v : versions) {
            if (production != null && v.version() == production) {
                valued = v;
            }
        }
        if (valued == null) {
            for (ModelVersionView v : versions) {
                if (v.status() == VersionStatus.ACCEPTED && (valued == null || v.version() > valued.version())) {
                    valued = v;
                }
            }
        }
        return valued;
    }

    /** The metric realised performance is stated in: the one the lift is measured in, so they read side by side. */
    private static String realisedMetric(ModelVersionView valued) {
        if (valued.gate() != null && valued.gate().metric() != null) {
            return valued.gate().metric();
        }
        return valued.objective() == null ? null : valued.objective().defaultGateMetric();
    }

    /** The UTC days whose start lies in [from, to). */
    static List<LocalDate> days(Instant from, Instant to) {
        List<LocalDate> days = new ArrayList<>();
        LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC);
        if (day.atStartOfDay(ZoneOffset.UTC).toInstant().isBefore(from)) {
            day = day.plusDays(1);
        }
        while (day.atStartOfDay(ZoneOffset.UTC).toInstant().isBefore(to)) {
            days.add(day);
            day = day.plusDays(1);
        }
        return days;
    }
}
