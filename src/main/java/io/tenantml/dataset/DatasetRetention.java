package io.tenantml.dataset;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * How long a dataset keeps its versions' rows. Applied after every new version and every change of the definition;
 * a version still needed (see {@link DatasetVersionUse}) keeps its rows until a later pass finds it free.
 *
 * @param keepVersions how many of the newest versions keep their rows; null keeps every version's. The rows of the
 *     older ones are purged, their records stay.
 */
public record DatasetRetention(@Min(1) @Max(10_000) Integer keepVersions) {

    public static final DatasetRetention KEEP_ALL = new DatasetRetention(null);
}
