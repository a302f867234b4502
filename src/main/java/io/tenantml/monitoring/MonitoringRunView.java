package io.tenantml.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tenantml.scheduling.RunState;
import java.time.Instant;
import java.util.UUID;

/**
 * A window run and how far it got.
 *
 * @param until the log is profiled up to this instant
 * @param from from where it profiled (set when it ran)
 * @param windows hourly windows (per version) it wrote
 * @param records logged predictions it read
 * @param latestVersion the version of the latest window it judged
 * @param latestWindowStart that window's start
 * @param latestWindowStatus that window's dataset-level status when it was judged
 * @param status the run's state in the run ledger
 * @param errorCode why it failed or was cancelled, as a stable code
 * @param error the same for people; never exception text
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MonitoringRunView(
        UUID id,
        String model,
        MonitoringRunTrigger trigger,
        RunState status,
        double progress,
        Instant until,
        Instant from,
        Integer windows,
        Long records,
        Integer latestVersion,
        Instant latestWindowStart,
        FeatureDriftStatus latestWindowStatus,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String errorCode,
        String error) {}
