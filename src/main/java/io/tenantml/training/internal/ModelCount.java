package io.tenantml.training.internal;

import io.tenantml.usage.Limit;
import io.tenantml.usage.QuotaCount;
import jakarta.enterprise.context.ApplicationScoped;

/** The plan's `models` limit counts models (the check on create and the quota view count alike). */
@ApplicationScoped
public class ModelCount implements QuotaCount {

    @Override
    public Limit limit() {
        return Limit.MODELS;
    }

    @Override
    public String counts() {
        return "models";
    }

    @Override
    public long current() {
        return ModelSpecEntity.count();
    }
}
