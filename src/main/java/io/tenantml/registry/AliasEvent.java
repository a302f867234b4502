package io.tenantml.registry;

import java.time.Instant;
import java.util.UUID;

/**
 * One recorded alias move: who moved {@code alias} from one version to another, when and why.
 *
 * @param id the event's id, which orders events recorded at the same instant
 */
public record AliasEvent(
        UUID id, String alias, Integer fromVersion, Integer toVersion, String actor, Instant at, String reason) {}
