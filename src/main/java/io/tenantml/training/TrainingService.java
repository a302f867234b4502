package io.tenantml.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.panache.common.Sort;
import io.tenantml.dataset.DatasetVersionRef;
import io.tenantml.security.CurrentPrincipal;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.training.internal.TrainingEntity;
import io.tenantml.training.internal.TrainingSchedules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Starting, watching and cancelling the current tenant's trainings. */
@ApplicationScoped
public class TrainingService {

    static final Set<String> ACTIVE = Set.of("queued", "running");

    @Inject
    io.tenantml.usage.Quotas quotas;

    @Inject
    TenantContext tenantContext;

    @Inject
    CurrentPrincipal principal;

    @Inject
    ModelSpecService specs;

    @Inject
    TrainingSchedules schedules;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /**
     * Queues a training of {@code model} on a dataset version (latest when null) and fires its job.
     *
     * @throws ProblemException 404 unknown model, 409 when one is already queued or running (named)
     */
    @Transactional
    public TrainingView start(String model, Integer datasetVersion, String trigger) {
        ModelSpec spec = specs.spec(model).orElseThrow(() -> ProblemException.notFound("no model '" + model + "'"));
        refuseIfActive(model);
        quotas.requireJobSlot(true);
        DatasetVersionRef version = (datasetVersion == null
                        ? specs.reader().latest(spec.dataset())
                        : specs.reader().version(spec.dataset(), datasetVersion))
                .orElseThrow(() -> ProblemException.conflict(
                        "no-dataset-version",
                        "dataset '" + spec.dataset() + "' has "
                                + (datasetVersion == null ? "no version yet" : "no version " + datasetVersion)));
        TrainingEntity entity = newTraining(model, spec.dataset(), version.version(), "queued", trigger);
        try {
            entity.persistAndFlush();
        } catch (PersistenceException e) {
            // the partial unique index lost a race against another node's start
            throw conflictWith(
                    TrainingEntity.<TrainingEntity>find("model = ?1 and status in ?2", model, ACTIVE)
                            .firstResultOptional()
                            .orElse(null),
                    model);
        }
        schedules.enqueue(tenantContext.require(), model, entity.id);
        return view(entity);
    }

    /** Records a scheduled run that did not start, with why. */
    @Transactional
    public TrainingView recordSkipped(String model, String dataset, Integer datasetVersion, String reason) {
        TrainingEntity entity = newTraining(model, dataset, datasetVersion, "skipped", "schedule");
        entity.finishedAt = entity.createdAt;
        entity.error = reason;
        entity.persist();
        return view(entity);
    }

    public TrainingView get(UUID id) {
        return view(entity(id));
    }

    public Optional<TrainingView> find(UUID id) {
        return TrainingEntity.<TrainingEntity>find("id", id)
                .firstResultOptional()
                .map(this::view);
    }

    /** Trainings newest first, of one model when {@code model} is given. */
    public List<TrainingView> list(String model) {
        Sort newest = Sort.by("createdAt", Sort.Direction.Descending);
        List<TrainingEntity> rows =
                model == null ? TrainingEntity.listAll(newest) : TrainingEntity.list("model", newest, model);
        return rows.stream().map(this::view).toList();
    }

    /** The latest training that produced a version (succeeded or rejected), for "is there new data?". */
    public Optional<TrainingView> lastCompleted(String model) {
        return TrainingEntity.<TrainingEntity>find(
                        "model = ?1 and status in ?2",
                        Sort.by("createdAt", Sort.Direction.Descending),
                        model,
                        Set.of("succeeded", "rejected"))
                .firstResultOptional()
                .map(this::view);
    }

    /**
     * Cancels a queued training at once, and a running one at its next boosting round.
     *
     * @throws ProblemException 409 when it already finished
     */
    @Transactional
    public TrainingView cancel(UUID id) {
        TrainingEntity entity = TrainingEntity.<TrainingEntity>find("id", id)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("no training " + id));
        switch (entity.status) {
            case "queued" -> {
                entity.status = "cancelled";
                entity.finishedAt = clock.instant();
                entity.error = "cancelled by " + principal.actor();
                schedules.dequeue(tenantContext.require(), id);
            }
            case "running" -> entity.cancelRequested = true;
            default ->
                throw ProblemException.conflict(
                        "training-finished", "training " + id + " already ended with status " + entity.status);
        }
        return view(entity);
    }

    private void refuseIfActive(String model) {
        TrainingEntity.<TrainingEntity>find("model = ?1 and status in ?2", model, ACTIVE)
                .firstResultOptional()
                .ifPresent(active -> {
                    throw conflictWith(active, model);
                });
    }

    private static ProblemException conflictWith(TrainingEntity active, String model) {
        String detail = active == null
                ? "model '" + model + "' already has a training queued or running"
                : "model '" + model + "' already has training " + active.id + " " + active.status;
        Problem problem = Problem.of(409, "training-in-progress", "Conflict", detail);
        return new ProblemException(active == null ? problem : problem.with("running", active.id.toString()));
    }

    private TrainingEntity newTraining(
            String model, String dataset, Integer datasetVersion, String status, String trigger) {
        TrainingEntity entity = new TrainingEntity();
        entity.id = UUID.randomUUID();
        entity.model = model;
        entity.dataset = dataset;
        entity.datasetVersion = datasetVersion;
        entity.status = status;
        entity.trigger = trigger;
        entity.createdAt = clock.instant();
        entity.requestedBy = principal.actor();
        return entity;
    }

    private TrainingEntity entity(UUID id) {
        return TrainingEntity.<TrainingEntity>find("id", id)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("no training " + id));
    }

    private TrainingView view(TrainingEntity e) {
        return new TrainingView(
                e.id,
                e.model,
                e.dataset,
                e.datasetVersion,
                e.status,
                e.trigger,
                e.progress,
                e.rounds,
                e.attempts,
                e.createdAt,
                e.startedAt,
                e.finishedAt,
                readMap(e.metrics),
                readMap(e.baseline),
                e.modelVersion,
                read(e.gate),
                e.error);
    }

    private Map<String, Double> readMap(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, new TypeReference<>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private GateDecision read(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, GateDecision.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
