package io.tenantml.shared;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * How many versions keep their data (a dataset's versions their rows, a model's versions their files). Applied after
 * every new version and every change of the setting; a version still needed keeps its data until a later pass finds
 * it free. The records of purged versions stay.
 *
 * @param keepVersions how many of the newest versions keep their data; null keeps every version's
 */
public record VersionRetention(@Min(1) @Max(MAX_KEEP) Integer keepVersions) {

    public static final int MAX_KEEP = 10_000;

    /**
     * Bean validation checks a request's body; a manifest's, or a spec read back, reaches code unchecked.
     *
     * @throws ProblemException 400 naming {@code field}.keepVersions when out of range
     */
    public VersionRetention checked(String field) {
        if (keepVersions != null && (keepVersions < 1 || keepVersions > MAX_KEEP)) {
            throw ProblemException.badField(
                    "invalid-retention",
                    field + ".keepVersions",
                    field + ".keepVersions must be between 1 and " + MAX_KEEP + ", not " + keepVersions);
        }
        return this;
    }
}
