package io.tenantml.testing;

import io.tenantml.scheduling.RunStarted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Test-only hook on the run ledger's {@link RunStarted} event: makes runs "long" without sleeping anywhere. Runs
 * of a held tenant stay RUNNING (holding their slot) until the test releases them, one by one or all at once;
 * runs of other tenants pass straight through. A failing tenant's runs throw the given exception as they start,
 * as an unexpected failure inside a handler would.
 */
@ApplicationScoped
public class RunHolds {

    private static final long MAX_HOLD_MINUTES = 3;

    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final Map<UUID, CountDownLatch> latches = new ConcurrentHashMap<>();
    private final Map<String, Supplier<RuntimeException>> failing = new ConcurrentHashMap<>();

    /** Holds every run of {@code tenant} that starts from now on until it is released. */
    public void hold(String tenant) {
        held.add(tenant);
    }

    public void release(String runId) {
        latch(UUID.fromString(runId)).countDown();
    }

    /** Stops holding the tenant and lets every held run go on. */
    public void releaseAll(String tenant) {
        held.remove(tenant);
        latches.values().forEach(CountDownLatch::countDown);
    }

    /** Makes every run of {@code tenant} fail as it starts, with this exception. */
    public void fail(String tenant, Supplier<RuntimeException> failure) {
        failing.put(tenant, failure);
    }

    public void stopFailing(String tenant) {
        failing.remove(tenant);
    }

    void onStarted(@Observes RunStarted started) throws InterruptedException {
        String tenant = started.run().tenant();
        Supplier<RuntimeException> failure = failing.get(tenant);
        if (failure != null) {
            throw failure.get();
        }
        if (held.contains(tenant)) {
            // bounded, so that a test that forgets to release cannot hang the suite
            latch(started.run().id()).await(MAX_HOLD_MINUTES, TimeUnit.MINUTES);
        }
    }

    private CountDownLatch latch(UUID run) {
        return latches.computeIfAbsent(run, id -> new CountDownLatch(1));
    }
}
