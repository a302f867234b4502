package io.tenantml.shared;

import java.time.Instant;

/**
 * That a stored version's data was purged (a dataset version's rows and quarantined rows, a model version's file):
 * its record stays, its data cannot be read any more.
 *
 * @param by who purged it: the admin ({@code role:subject}) or the retention ({@code system:<feature>-retention})
 */
public record VersionPurge(Instant at, String by, PurgeReason reason) {

    /**
     * The 410 for reading a purged version's data, in one shape for every feature: the owner under its kind's name
     * ({@code "dataset": "penguins"}), the version and when it was purged, beside a detail that says what went and what
     * remains.
     *
     * @param type      the problem type ({@code dataset-version-purged})
     * @param ownerKind the extension naming the owner ({@code dataset}, {@code model})
     * @param detail    what went, when and why, and what remains
     */
    public static ProblemException gone(
            String type, String ownerKind, String owner, int version, Instant purgedAt, String detail) {
        return new ProblemException(Problem.of(410, type, "Gone", detail)
                .with(ownerKind, owner)
                .with("version", version)
                .with("purgedAt", purgedAt.toString()));
    }
}
