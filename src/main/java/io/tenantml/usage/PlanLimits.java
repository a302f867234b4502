package io.tenantml.usage;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A plan's named limits. Absent (null) means the platform default ({@code tenantml.usage.defaults.*}); a limit
 * with neither is unlimited. Over a rate: 429 {@code rate-limited} with Retry-After; over a count: 409
 * {@code quota-exceeded}; over a size: 413 {@code quota-exceeded}; a schedule more frequent than allowed: 422
 * {@code quota-exceeded}. Every problem names the limit ({@code limit}) and its value ({@code max}).
 */
@Schema(description = "Named limits of a plan; absent = platform default, no default = unlimited")
public record PlanLimits(
        @Schema(
                description =
                        "Bytes of files the tenant may store (datasets, models, results); 413 on a dataset upload that would exceed it")
        Long storedBytes,

        @Schema(description = "Rows one dataset version may hold; 413 on upload, nothing written")
        Long rowsPerDatasetVersion,

        @Schema(description = "Datasets the tenant may have; 409 on declaring or first uploading one more")
        Long datasets,

        @Schema(description = "Models the tenant may define; 409 on creating one more")
        Long models,

        @Schema(description = "Recommenders the tenant may have; 409 on creating one more")
        Long recommenders,

        @Schema(description = "Trainings the tenant may start per UTC day; 409")
        Long trainingsPerDay,

        @Schema(
                description = "Jobs queued or running at once: trainings, batch predictions, index builds (a"
                        + " manual monitoring run is refused at the limit; window runs never count); 409")
        Long concurrentJobs,

        @Schema(description = "Shortest interval between two fires of a model's schedule, seconds; 422 (default 3600)")
        Long minScheduleIntervalSeconds,

        @Schema(
                description =
                        "Integration credentials the tenant may hold: integration API keys not revoked, and (with Keycloak) integration clients, each counted on its own; 409 on one more")
        Long integrationClients,

        @Schema(description = "Dataset uploads of the tenant running at once, per node; 409")
        Long concurrentUploads,

        @Schema(description = "Requests per second to /predict per credential (token bucket); 429 with Retry-After")
        Long predictRequestsPerSecond,

        @Schema(description = "Requests per second to recommend per credential (token bucket); 429 with Retry-After")
        Long recommendRequestsPerSecond,

        @Schema(description = "Largest /predict request body in bytes; 413 (default 1 MiB)")
        Long predictBodyBytes) {

    public static PlanLimits none() {
        return new PlanLimits(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** This plan's value of each limit, or {@code defaults}' where this one has none. */
    public PlanLimits over(PlanLimits defaults) {
        return new PlanLimits(
                pick(storedBytes, defaults.storedBytes),
                pick(rowsPerDatasetVersion, defaults.rowsPerDatasetVersion),
                pick(datasets, defaults.datasets),
                pick(models, defaults.models),
                pick(recommenders, defaults.recommenders),
                pick(trainingsPerDay, defaults.trainingsPerDay),
                pick(concurrentJobs, defaults.concurrentJobs),
                pick(minScheduleIntervalSeconds, defaults.minScheduleIntervalSeconds),
                pick(integrationClients, defaults.integrationClients),
                pick(concurrentUploads, defaults.concurrentUploads),
                pick(predictRequestsPerSecond, defaults.predictRequestsPerSecond),
                pick(recommendRequestsPerSecond, defaults.recommendRequestsPerSecond),
                pick(predictBodyBytes, defaults.predictBodyBytes));
    }

    private static Long pick(Long mine, Long fallback) {
        return mine != null ? mine : fallback;
    }
}
