package io.tenantml.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.tenancy.TenantService;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Serving meters, tagged {@code tenant} and {@code model}: predictions (records scored), request latency,
 * errors, model cache hits/misses/evictions/load time, and prediction-log records dropped.
 */
@ApplicationScoped
public class ServingMetrics {

    public static final String PREDICTIONS = "tenantml.serving.predictions";
    public static final String LATENCY = "tenantml.serving.latency";
    public static final String ERRORS = "tenantml.serving.errors";
    public static final String CACHE_HITS = "tenantml.serving.cache.hits";
    public static final String CACHE_MISSES = "tenantml.serving.cache.misses";
    public static final String CACHE_EVICTIONS = "tenantml.serving.cache.evictions";
    public static final String CACHE_LOAD = "tenantml.serving.cache.load";
    /** Rows per XGBoost call of the real-time path (requests of one event-loop turn scored together). */
    public static final String BATCH_ROWS = "tenantml.serving.batch.rows";

    private static final Duration[] LATENCY_BUCKETS = Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000)
            .map(Duration::ofMillis)
            .toArray(Duration[]::new);

    @Inject
    MeterRegistry registry;

    /**
     * The meters of one (tenant, model), built once: looking a meter up by name and tags on every
     * request costs more than the prediction itself under concurrency.
     */
    private record ModelMeters(
            Counter predictions,
            Timer latency,
            Counter errors,
            Counter hits,
            Counter misses,
            Counter evictions,
            Timer load,
            DistributionSummary batchRows) {}

    private record Tag(String tenant, String model) {}

    private final Map<Tag, ModelMeters> meters = new ConcurrentHashMap<>();

    @Inject
    ClusterEvents cluster;

    @PostConstruct
    void subscribe() {
        // The registry's own copies go with every other meter of the tenant (tenancy's TenantMeters); the
        // handles kept here must go too, or a tenant onboarded again under the same id would count into
        // meters that are no longer registered.
        cluster.subscribe(TenantService.TENANT_DELETED, this::forget);
    }

    void forget(String tenant) {
        meters.entrySet().removeIf(e -> {
            if (!e.getKey().tenant().equals(tenant)) {
                return false;
            }
            ModelMeters m = e.getValue();
            Stream.of(
                            m.predictions(),
                            m.latency(),
                            m.errors(),
                            m.hits(),
                            m.misses(),
                            m.evictions(),
                            m.load(),
                            m.batchRows())
                    .forEach(registry::remove);
            return true;
        });
    }

    public void predicted(String tenant, String model, int records, long nanos) {
        ModelMeters m = meters(tenant, model);
        m.predictions().increment(records);
        m.latency().record(nanos, TimeUnit.NANOSECONDS);
    }

    public void failed(String tenant, String model) {
        meters(tenant, model).errors().increment();
    }

    public void cacheHit(String tenant, String model) {
        meters(tenant, model).hits().increment();
    }

    public void cacheMiss(String tenant, String model) {
        meters(tenant, model).misses().increment();
    }

    public void cacheEvicted(String tenant, String model) {
        meters(tenant, model).evictions().increment();
    }

    public void cacheLoaded(String tenant, String model, long nanos) {
        meters(tenant, model).load().record(nanos, TimeUnit.NANOSECONDS);
    }

    public void batched(String tenant, String model, int rows) {
        meters(tenant, model).batchRows().record(rows);
    }

    public double count(String name, String tenant, String model) {
        Counter counter =
                registry.find(name).tags("tenant", tenant, "model", model).counter();
        return counter == null ? 0 : counter.count();
    }

    /** How many values the distribution summary of that name recorded for a tenant's model. */
    public long summaryCount(String name, String tenant, String model) {
        DistributionSummary summary =
                registry.find(name).tags("tenant", tenant, "model", model).summary();
        return summary == null ? 0 : summary.count();
    }

    /** The sum of the values the distribution summary of that name recorded for a tenant's model. */
    public double summaryTotal(String name, String tenant, String model) {
        DistributionSummary summary =
                registry.find(name).tags("tenant", tenant, "model", model).summary();
        return summary == null ? 0 : summary.totalAmount();
    }

    /** The timer of that name for a tenant's model, if anything was recorded yet. */
    public java.util.Optional<Timer> timer(String name, String tenant, String model) {
        return java.util.Optional.ofNullable(
                registry.find(name).tags("tenant", tenant, "model", model).timer());
    }

    private ModelMeters meters(String tenant, String model) {
        return meters.computeIfAbsent(
                new Tag(tenant, model),
                t -> new ModelMeters(
                        counter(PREDICTIONS, tenant, model),
                        // Buckets, not client-side percentiles: Prometheus computes quantiles across nodes from
                        // them, and recording into a handful of buckets is cheap on the request path.
                        Timer.builder(LATENCY)
                                .tags("tenant", tenant, "model", model)
                                .serviceLevelObjectives(LATENCY_BUCKETS)
                                .register(registry),
                        counter(ERRORS, tenant, model),
                        counter(CACHE_HITS, tenant, model),
                        counter(CACHE_MISSES, tenant, model),
                        counter(CACHE_EVICTIONS, tenant, model),
                        Timer.builder(CACHE_LOAD)
                                .tags("tenant", tenant, "model", model)
                                .register(registry),
                        DistributionSummary.builder(BATCH_ROWS)
                                .tags("tenant", tenant, "model", model)
                                .register(registry)));
    }

    private Counter counter(String name, String tenant, String model) {
        return Counter.builder(name).tags("tenant", tenant, "model", model).register(registry);
    }
}
