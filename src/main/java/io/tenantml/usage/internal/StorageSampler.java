package io.tenantml.usage.internal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobStore;
import io.tenantml.tenancy.Tenant;
import io.tenantml.tenancy.TenantService;
import io.tenantml.usage.Meter;
import io.tenantml.usage.Meters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Samples each tenant's stored bytes once a day: one {@code storage.byte_days} event per tenant and UTC day. */
@ApplicationScoped
public class StorageSampler {

    private static final Logger LOG = Logger.getLogger(StorageSampler.class);

    @Inject
    TenantService tenants;

    @Inject
    BlobStore blobs;

    @Inject
    Meters meters;

    @Inject
    Clock clock;

    @Scheduled(cron = "${tenantml.usage.storage-sample-cron:0 15 0 * * ?}", identity = "tenantml-usage-storage-sample")
    void daily() {
        sample(LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    }

    /** Records the day's sample of every tenant that has none yet; returns how many were new. */
    public int sample(LocalDate day) {
        List<Tenant> all = new java.util.ArrayList<>();
        PageRequest request = PageRequest.first(PageRequest.MAX_LIMIT);
        while (request != null) {
            PageRequest current = request;
            Page<Tenant> page = QuarkusTransaction.requiringNew().call(() -> tenants.list(current));
            all.addAll(page.items());
            request = page.next() == null ? null : PageRequest.of(PageRequest.MAX_LIMIT, page.next());
        }
        int recorded = 0;
        for (Tenant t : all) {
            TenantId tenant = TenantId.of(t.id());
            try {
                long bytes = blobs.usedBytes(tenant);
                if (meters.record(tenant, Meter.STORAGE_BYTE_DAYS, Map.of(), bytes, "storage:" + day)) {
                    recorded++;
                }
            } catch (IOException | RuntimeException e) {
                LOG.warnf(e, "storage of tenant %s not sampled for %s", tenant, day);
            }
        }
        return recorded;
    }
}
