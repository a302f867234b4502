package io.tenantml.registry;

import java.time.Instant;

/** One recorded alias move: who moved {@code alias} from one version to another, when and why. */
public record AliasEvent(
        String alias, Integer fromVersion, Integer toVersion, String actor, Instant at, String reason) {}
