/**
 * Webhooks: a tenant's endpoints (URL, event filter, Standard Webhooks secret), the job that fans committed
 * {@code tenant_event}s out to them and delivers each signed, with retries, a delivery log, redelivery and test
 * events, and the guard that keeps outbound requests away from internal addresses.
 */
package io.tenantml.webhooks;
