package io.tenantml.experts.internal;

import io.tenantml.usage.Limit;
import io.tenantml.usage.QuotaCount;
import jakarta.enterprise.context.ApplicationScoped;

/** The plan's `recommenders` limit counts recommenders (the check on create and the quota view count alike). */
@ApplicationScoped
public class RecommenderCount implements QuotaCount {

    @Override
    public Limit limit() {
        return Limit.RECOMMENDERS;
    }

    @Override
    public String counts() {
        return "recommenders";
    }

    @Override
    public long current() {
        return RecommenderEntity.count();
    }
}
