package io.tenantml.dataset;

import java.time.Instant;

/**
 * That a version's rows (and quarantined rows) were purged: its record stays, its rows cannot be read any more.
 *
 * @param by who purged them: the admin ({@code role:subject}) or {@code system:dataset-retention}
 */
public record VersionPurge(Instant at, String by, PurgeReason reason) {}
