/**
 * Shared Quartz plumbing for tenant work: a job base that takes its tenant from the JobDataMap and runs
 * inside a {@link io.tenantml.tenancy.TenantScope}, job group = tenant id, and removal of a tenant's jobs.
 */
package io.tenantml.scheduling;
