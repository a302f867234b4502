package io.tenantml.dataset.internal;

import io.tenantml.usage.Limit;
import io.tenantml.usage.QuotaCount;
import jakarta.enterprise.context.ApplicationScoped;

/** The plan's `datasets` limit counts datasets (the check on create and the quota view count alike). */
@ApplicationScoped
public class DatasetCount implements QuotaCount {

    @Override
    public Limit limit() {
        return Limit.DATASETS;
    }

    @Override
    public String counts() {
        return "datasets";
    }

    @Override
    public long current() {
        return DatasetEntity.count();
    }
}
