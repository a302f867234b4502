package io.tenantml.registry;

import io.tenantml.shared.TenantId;
import java.util.UUID;

/**
 * Fired (synchronous CDI event) inside the transaction of every alias move and deletion, after the move is
 * written, so that features above the registry can keep state about it in the same transaction (the rules'
 * watch of an automatic promotion starts with the promotion, and ends when a person moves the alias).
 *
 * @param from the version the alias named before; null when it was set now
 * @param to the version it names now; null when it was deleted
 * @param cause who decided the move
 * @param training for {@link Cause#AUTO_PROMOTION}: the training whose version was promoted; else null
 * @param reason the reason stored on the move
 */
public record AliasMoved(
        TenantId tenant,
        String model,
        String alias,
        Integer from,
        Integer to,
        Cause cause,
        UUID training,
        String reason) {

    public enum Cause {
        /** A request (a person or an integration) moved or deleted the alias. */
        API,
        /** A training's version passed its gate and was promoted as it registered. */
        AUTO_PROMOTION,
        /** The platform moved the alias back on its own ({@link ModelRegistry#rollBack}). */
        AUTOMATIC_ROLLBACK
    }
}
