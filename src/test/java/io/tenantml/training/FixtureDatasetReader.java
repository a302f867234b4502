package io.tenantml.training;

import io.quarkus.arc.DefaultBean;
import io.tenantml.dataset.DatasetReader;
import io.tenantml.dataset.DatasetRow;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.dataset.DatasetVersionRef;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test stand-in for the datasets feature until its reader is merged: versions registered per tenant from
 * the committed fixtures. A {@link DefaultBean}, so the real reader replaces it as soon as it exists.
 */
@DefaultBean
@ApplicationScoped
public class FixtureDatasetReader implements DatasetReader {

    private static final Map<String, Map<String, List<TestDatasets.Fixture>>> VERSIONS = new ConcurrentHashMap<>();

    @Inject
    TenantContext tenantContext;

    /** Adds a version of {@code dataset} for {@code tenant}; returns its number. */
    public static int add(String tenant, String dataset, TestDatasets.Fixture fixture) {
        List<TestDatasets.Fixture> versions = VERSIONS.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(dataset, d -> new ArrayList<>());
        synchronized (versions) {
            versions.add(fixture);
            return versions.size();
        }
    }

    private List<TestDatasets.Fixture> versions(String dataset) {
        return VERSIONS.getOrDefault(tenantContext.require().value(), Map.of()).getOrDefault(dataset, List.of());
    }

    private DatasetVersionRef ref(String dataset, int version, TestDatasets.Fixture fixture) {
        String sha = Integer.toHexString(fixture.rows().size() * 31 + version);
        return new DatasetVersionRef(dataset, version, "0".repeat(64 - sha.length()) + sha, fixture.rows().size(),
                Instant.EPOCH, fixture.schema());
    }

    @Override
    public Optional<DatasetVersionRef> version(String dataset, int version) {
        List<TestDatasets.Fixture> versions = versions(dataset);
        return version < 1 || version > versions.size() ? Optional.empty()
                : Optional.of(ref(dataset, version, versions.get(version - 1)));
    }

    @Override
    public Optional<DatasetVersionRef> latest(String dataset) {
        return version(dataset, versions(dataset).size());
    }

    @Override
    public Optional<DatasetSchema> schema(String dataset) {
        List<TestDatasets.Fixture> versions = versions(dataset);
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.getFirst().schema());
    }

    @Override
    public RowCursor open(String dataset, int version) {
        DatasetVersionRef ref = version(dataset, version).orElseThrow();
        Iterator<DatasetRow> rows = versions(dataset).get(version - 1).rows().iterator();
        return new RowCursor() {
            @Override
            public DatasetVersionRef version() {
                return ref;
            }

            @Override
            public void close() {
            }

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public DatasetRow next() {
                return rows.next();
            }
        };
    }
}
