package io.tenantml.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Meters of the prediction log, per tenant and model (names that exist, never caller-chosen strings). */
@ApplicationScoped
public class MonitoringMetrics {

    /** Records not written: the queue was full, the write failed, or the record was already past retention. */
    public static final String LOG_DROPPED = "tenantml.serving.log.dropped";

    @Inject
    MeterRegistry registry;

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
}
