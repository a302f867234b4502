package io.tenantml.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.tenancy.TenantService;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters of the prediction log and of monitoring windows, per tenant and model (names that exist, never
 * caller-chosen strings). Cardinality is bounded: per (tenant, model) one series per status and per skew
 * kind, and per-feature series only for the {@code tenantml.monitoring.window.top-features} most drifting
 * features of the model's latest window (a feature that leaves the top loses its series); performance series per
 * metric of the model's objective (names from code, at most five). Gauges are set by
 * the node that ran the window. A tenant's series go at offboarding (here and, for the registry, tenancy's
 * {@code TenantMeters}); a model's when it is deleted.
 */
@ApplicationScoped
public class MonitoringMetrics {

    /** Records not written: the queue was full, the write failed, or the record was already past retention. */
    public static final String LOG_DROPPED = "tenantml.serving.log.dropped";

    /** 1 for the status of the model's latest window (dataset-level), 0 for the others; tag {@code status}. */
    public static final String WINDOW_STATUS = "tenantml.monitoring.window.status";

    /** Features of the latest window in each status; tag {@code status}. */
    public static final String FEATURES = "tenantml.monitoring.features";

    /** 1 for the status of the latest window's prediction drift, 0 for the others; tag {@code status}. */
    public static final String PREDICTION_STATUS = "tenantml.monitoring.prediction.status";

    /** The largest rate of a skew kind over the model's inputs in the latest window; tag {@code kind}. */
    public static final String SKEW = "tenantml.monitoring.skew.rate";

    /** Effect size (less sketch error) of one of the top drifting features; tags {@code feature}, {@code status}. */
    public static final String FEATURE_DRIFT = "tenantml.monitoring.feature.drift";

    /** Seconds from the end of the model's last hour profiled whole to now: the window job's lag. */
    public static final String LAG = "tenantml.monitoring.window.lag.seconds";

    /**
     * The latest window's realised performance from feedback labels; tag {@code metric} (the objective's metrics:
     * auc, prAuc, logloss, accuracy, f1; accuracy, macroF1, mlogloss; rmse, mae, r2). NaN while it has no label.
     */
    public static final String REALISED = "tenantml.monitoring.performance.realised";

    /** The latest window's performance estimated without labels (CBPE, classifiers); tag {@code metric}. */
    public static final String ESTIMATED = "tenantml.monitoring.performance.estimated";

    /** Feedback labels the latest window's realised performance is computed from. */
    public static final String LABELS = "tenantml.monitoring.performance.labels";

    static final List<String> SKEW_KINDS = List.of("missing", "unseen-category", "out-of-range", "refused");

    @Inject
    MeterRegistry registry;

    @Inject
    MonitoringConfig config;

    @Inject
    ClusterEvents cluster;

    @Inject
    Clock clock;

    /** A gauge's value, read at scrape. */
    private static final class Value {
        volatile double value;
    }

    private record ModelTag(String tenant, String model) {}

    /** The series of one (tenant, model). */
    private static final class ModelGauges {
        final Map<FeatureDriftStatus, Value> window = new EnumMap<>(FeatureDriftStatus.class);
        final Map<FeatureDriftStatus, Value> features = new EnumMap<>(FeatureDriftStatus.class);
        final Map<FeatureDriftStatus, Value> prediction = new EnumMap<>(FeatureDriftStatus.class);
        final Map<String, Value> skew = new HashMap<>();
        final Map<String, Value> top = new HashMap<>();
        final Map<String, Gauge> topGauges = new HashMap<>();
        final Value upTo = new Value();
        final Value labels = new Value();
        final Map<String, Value> realised = new HashMap<>();
        final Map<String, Value> estimated = new HashMap<>();
        final List<Meter> meters = new ArrayList<>();
    }

    private final Map<ModelTag, ModelGauges> gauges = new ConcurrentHashMap<>();

    @PostConstruct
    void subscribe() {
        // The registry's copies go with every meter of the tenant (tenancy's TenantMeters); the handles here
        // must go too, or a tenant onboarded again under the same id would write to unregistered gauges.
        cluster.subscribe(
                TenantService.TENANT_DELETED, tenant -> forget(t -> t.tenant().equals(tenant)));
        cluster.subscribe(ModelRegistry.MODEL_DELETED, payload -> {
            int slash = payload.indexOf('/');
            ModelTag tag = new ModelTag(payload.substring(0, slash), payload.substring(slash + 1));
            forget(tag::equals);
        });
    }

    private void forget(java.util.function.Predicate<ModelTag> which) {
        gauges.entrySet().removeIf(e -> {
            if (!which.test(e.getKey())) {
                return false;
            }
            synchronized (e.getValue()) {
                e.getValue().meters.forEach(registry::remove);
                e.getValue().topGauges.values().forEach(registry::remove);
            }
            return true;
        });
    }

    public void logDropped(String tenant, String model) {
        Counter.builder(LOG_DROPPED)
                .tag("tenant", tenant)
                .tag("model", model)
                .register(registry)
                .increment();
    }

    public double count(String name, String tenant, String model) {
        Counter counter =
                registry.find(name).tags("tenant", tenant, "model", model).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Sets the model's series from its latest judged window. */
    public void windowJudged(String tenant, String model, MonitoringWindow window) {
        ModelGauges g = gauges(tenant, model);
        synchronized (g) {
            for (FeatureDriftStatus s : FeatureDriftStatus.values()) {
                g.window.get(s).value = window.status() == s ? 1 : 0;
                long n = window.features().stream().filter(f -> f.status() == s).count();
                g.features.get(s).value = n;
                FeatureDriftStatus p =
                        window.prediction() == null ? null : window.prediction().status();
                g.prediction.get(s).value = p == s ? 1 : 0;
            }
            for (String kind : SKEW_KINDS) {
                g.skew.get(kind).value = window.skew().stream()
                        .mapToDouble(k -> switch (kind) {
                            case "missing" -> k.missingRate();
                            case "unseen-category" -> k.unseenCategoryRate();
                            case "out-of-range" -> k.outOfRangeRate();
                            default -> k.refusedRate();
                        })
                        .max()
                        .orElse(0);
            }
            top(tenant, model, g, window);
        }
    }

    /**
     * Sets the model's performance series from its latest window's assessment: one series per metric the
     * objective has (fixed names), so cardinality is bounded; a metric the window has no figure for reads NaN.
     */
    public void performance(String tenant, String model, PerformanceAssessment assessment) {
        ModelGauges g = gauges(tenant, model);
        synchronized (g) {
            PerformanceAssessment.Realised realised = assessment.realised();
            g.labels.value = realised == null ? 0 : realised.labels();
            Map<String, Double> realisedValues = new HashMap<>();
            if (realised != null) {
                realised.metrics().forEach((metric, interval) -> realisedValues.put(metric, interval.value()));
            }
            Map<String, Double> estimatedValues = new HashMap<>();
            if (assessment.estimated() != null) {
                assessment.estimated().metrics().forEach((metric, e) -> estimatedValues.put(metric, e.value()));
            }
            set(g, g.realised, REALISED, tenant, model, realisedValues);
            set(g, g.estimated, ESTIMATED, tenant, model, estimatedValues);
        }
    }

    private void set(
            ModelGauges g,
            Map<String, Value> series,
            String name,
            String tenant,
            String model,
            Map<String, Double> values) {
        for (Map.Entry<String, Double> e : values.entrySet()) {
            series.computeIfAbsent(e.getKey(), metric -> gauge(g, name, new ModelTag(tenant, model), "metric", metric))
                            .value =
                    e.getValue();
        }
        series.forEach((metric, v) -> {
            if (!values.containsKey(metric)) {
                v.value = Double.NaN;
            }
        });
    }

    /** Records that every hour before {@code upTo} has been profiled whole (the lag gauge reads from it). */
    public void profiledUpTo(String tenant, String model, Instant upTo) {
        ModelGauges g = gauges(tenant, model);
        double millis = upTo.toEpochMilli();
        if (Double.isNaN(g.upTo.value) || millis > g.upTo.value) {
            g.upTo.value = millis;
        }
    }

    /** The value of a monitoring gauge as the scrape would read it; NaN when there is none. */
    public double gauge(String name, String tenant, String model, String... tags) {
        String[] all = new String[tags.length + 4];
        all[0] = "tenant";
        all[1] = tenant;
        all[2] = "model";
        all[3] = model;
        System.arraycopy(tags, 0, all, 4, tags.length);
        Gauge gauge = registry.find(name).tags(all).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    private void top(String tenant, String model, ModelGauges g, MonitoringWindow window) {
        List<MonitoringWindow.FeatureDrift> drifting = window.features().stream()
                .filter(f -> f.status() == FeatureDriftStatus.DRIFT || f.status() == FeatureDriftStatus.WARNING)
                .sorted(Comparator.comparing(
                                (MonitoringWindow.FeatureDrift f) -> f.status() != FeatureDriftStatus.DRIFT)
                        .thenComparing(Comparator.comparingDouble(MonitoringWindow.FeatureDrift::effectSizeLowerBound)
                                .reversed()))
                .limit(Math.max(0, config.window().topFeatures()))
                .toList();
        Set<String> keep = new HashSet<>();
        for (MonitoringWindow.FeatureDrift f : drifting) {
            String key = f.feature() + "\u0000" + f.status().wireName();
            keep.add(key);
            Value v = g.top.computeIfAbsent(key, k -> new Value());
            v.value = f.effectSizeLowerBound();
            g.topGauges.computeIfAbsent(
                    key,
                    k -> Gauge.builder(FEATURE_DRIFT, v, x -> x.value)
                            .tag("tenant", tenant)
                            .tag("model", model)
                            .tag("feature", f.feature())
                            .tag("status", f.status().wireName())
                            .strongReference(true)
                            .register(registry));
        }
        for (String key : new ArrayList<>(g.topGauges.keySet())) {
            if (!keep.contains(key)) {
                registry.remove(g.topGauges.remove(key));
                g.top.remove(key);
            }
        }
    }

    private ModelGauges gauges(String tenant, String model) {
        return gauges.computeIfAbsent(new ModelTag(tenant, model), tag -> {
            ModelGauges g = new ModelGauges();
            for (FeatureDriftStatus s : FeatureDriftStatus.values()) {
                g.window.put(s, gauge(g, WINDOW_STATUS, tag, "status", s.wireName()));
                g.features.put(s, gauge(g, FEATURES, tag, "status", s.wireName()));
                g.prediction.put(s, gauge(g, PREDICTION_STATUS, tag, "status", s.wireName()));
            }
            for (String kind : SKEW_KINDS) {
                g.skew.put(kind, gauge(g, SKEW, tag, "kind", kind));
            }
            g.upTo.value = Double.NaN;
            g.labels.value = Double.NaN;
            g.meters.add(Gauge.builder(LABELS, g.labels, v -> v.value)
                    .tag("tenant", tag.tenant())
                    .tag("model", tag.model())
                    .strongReference(true)
                    .register(registry));
            g.meters.add(Gauge.builder(
                            LAG, g.upTo, v -> Double.isNaN(v.value) ? Double.NaN : (clock.millis() - v.value) / 1000.0)
                    .tag("tenant", tag.tenant())
                    .tag("model", tag.model())
                    .strongReference(true)
                    .register(registry));
            return g;
        });
    }

    private Value gauge(ModelGauges g, String name, ModelTag tag, String key, String value) {
        Value v = new Value();
        v.value = Double.NaN;
        g.meters.add(Gauge.builder(name, v, x -> x.value)
                .tag("tenant", tag.tenant())
                .tag("model", tag.model())
                .tag(key, value)
                .strongReference(true)
                .register(registry));
        return v;
    }
}
