/**
 * Background work. The run ledger ({@link io.tenantml.scheduling.RunLedger}): one lifecycle for every kind of run,
 * fair slots per kind and per tenant, recovery of runs whose node died, and the
 * {@link io.tenantml.scheduling.RunHandler} extension point through which features register their work. Shared
 * Quartz plumbing for schedules: a job base that takes its tenant from the JobDataMap and runs inside a
 * {@link io.tenantml.tenancy.TenantScope}, job group = tenant id, and removal of a tenant's jobs.
 */
package io.tenantml.scheduling;
