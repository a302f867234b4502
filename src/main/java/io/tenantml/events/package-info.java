/**
 * Tenant events: the outbox of things a tenant's systems may want to hear about (a training succeeded, an alias
 * moved, a quota refused). {@link io.tenantml.events.TenantEvents#publish} writes the event in the transaction of
 * the change that causes it; {@code webhooks} delivers what was committed. Depends on nothing but the tenant in
 * context, so every feature may publish.
 */
package io.tenantml.events;
