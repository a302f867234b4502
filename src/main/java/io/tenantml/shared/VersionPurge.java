package io.tenantml.shared;

import java.time.Instant;

/**
 * That a stored version's data was purged (a dataset version's rows and quarantined rows, a model version's file):
 * its record stays, its data cannot be read any more.
 *
 * @param by who purged it: the admin ({@code role:subject}) or the retention ({@code system:<feature>-retention})
 */
public record VersionPurge(Instant at, String by, PurgeReason reason) {}
