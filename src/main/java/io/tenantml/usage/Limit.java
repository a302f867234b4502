package io.tenantml.usage;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.function.Function;

/** A named plan limit, as problems name it ({@code limit}) and as {@link PlanLimits} holds it. */
public enum Limit {
    STORED_BYTES("storedBytes", PlanLimits::storedBytes),
    ROWS_PER_DATASET_VERSION("rowsPerDatasetVersion", PlanLimits::rowsPerDatasetVersion),
    DATASETS("datasets", PlanLimits::datasets),
    MODELS("models", PlanLimits::models),
    RECOMMENDERS("recommenders", PlanLimits::recommenders),
    TRAININGS_PER_DAY("trainingsPerDay", PlanLimits::trainingsPerDay),
    CONCURRENT_JOBS("concurrentJobs", PlanLimits::concurrentJobs),
    MIN_SCHEDULE_INTERVAL_SECONDS("minScheduleIntervalSeconds", PlanLimits::minScheduleIntervalSeconds),
    INTEGRATION_CLIENTS("integrationClients", PlanLimits::integrationClients),
    CONCURRENT_UPLOADS("concurrentUploads", PlanLimits::concurrentUploads),
    PREDICT_REQUESTS_PER_SECOND("predictRequestsPerSecond", PlanLimits::predictRequestsPerSecond),
    RECOMMEND_REQUESTS_PER_SECOND("recommendRequestsPerSecond", PlanLimits::recommendRequestsPerSecond),
    PREDICT_BODY_BYTES("predictBodyBytes", PlanLimits::predictBodyBytes);

    private final String wireName;
    private final Function<PlanLimits, Long> value;

    Limit(String wireName, Function<PlanLimits, Long> value) {
        this.wireName = wireName;
        this.value = value;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The limit's value in these limits; null = unlimited. */
    public Long of(PlanLimits limits) {
        return value.apply(limits);
    }
}
