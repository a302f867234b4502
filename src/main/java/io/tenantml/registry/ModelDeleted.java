package io.tenantml.registry;

import io.tenantml.shared.TenantId;

/**
 * Fired (synchronous CDI event) inside the transaction that deletes a model's versions, so that features
 * holding rows derived from them (batch predictions and their precomputed rows) delete those in the same
 * transaction. In-memory state on every node follows through the {@link ModelRegistry#MODEL_DELETED} cluster
 * event at commit.
 */
public record ModelDeleted(TenantId tenant, String model) {}
