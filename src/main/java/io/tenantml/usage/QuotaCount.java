package io.tenantml.usage;

/**
 * Counts, for the current tenant, the things a count limit holds down. The feature that owns them implements it, so
 * that {@link QuotaUsage} shows every limit beside what it limits without knowing their tables. Called inside a
 * request of the tenant (its {@code TenantContext} set, a transaction active).
 */
public interface QuotaCount {

    Limit limit();

    /** What is counted, in words for the tenant ("models"). */
    String counts();

    long current();

    /** Whether this platform has what it counts: a feature switched off (Keycloak provisioning) counts nothing. */
    default boolean applies() {
        return true;
    }
}
