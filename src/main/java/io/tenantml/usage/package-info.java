/**
 * Usage: metering of every billable fact ({@link io.tenantml.usage.Meters}: exact events with idempotency ids,
 * high-rate facts aggregated per minute and flushed as idempotent upserts), the tenant's own usage, plans and
 * quotas, and the operators' usage and cost reports.
 */
package io.tenantml.usage;
