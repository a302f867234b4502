package io.tenantml.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A batch prediction and how far it got.
 *
 * @param status   queued, running, succeeded or failed
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
        String status,
        double progress,
        long rowsTotal,
        long rowsDone,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String resultsSha256,
        String error) {}
