package io.tenantml.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tenantml.scheduling.RunState;
import java.time.Instant;
import java.util.UUID;

/**
 * A batch prediction and how far it got.
 *
 * @param status   the run's state in the run ledger
 * @param errorCode why it failed or was cancelled, as a stable code
 * @param error    the same for people; never exception text (an unexpected failure names an incident id)
 * @param progress rows scored / rows in the dataset version, 0..1
 * @param keyColumn the dataset's primary key that results and precomputed lookups use; null = line number
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchPredictionView(
        UUID id,
        String model,
        int version,
        String dataset,
        int datasetVersion,
        String keyColumn,
        RunState status,
        double progress,
        long rowsTotal,
        long rowsDone,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String resultsSha256,
        String errorCode,
        String error) {}
