package io.tenantml.tenancy;

import io.tenantml.shared.TenantId;

/**
 * Features with per-tenant state outside the tenant's table rows (scheduled jobs, files, caches)
 * implement this to forget a tenant. Called before the rows are deleted; must be idempotent.
 */
public interface TenantDeletionListener {

    void onTenantDeleted(TenantId tenant);
}
