package io.tenantml.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.panache.common.Sort;
import io.tenantml.audit.Audit;
import io.tenantml.dataset.DatasetVersionRef;
import io.tenantml.model.GateDecision;
import io.tenantml.scheduling.Run;
import io.tenantml.scheduling.RunKind;
import io.tenantml.scheduling.RunLedger;
import io.tenantml.scheduling.RunState;
import io.tenantml.scheduling.ScheduledFire;
import io.tenantml.security.CurrentPrincipal;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.database.NameLocks;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.training.internal.TrainingEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Starting, watching and cancelling the current tenant's trainings. A training is a run of kind
 * {@link RunKind#TRAINING} in the run ledger (its lifecycle) plus a training row of the same id (what it is about
 * and what it produced); {@code internal.TrainingRunner} is the kind's handler.
 */
@ApplicationScoped
public class TrainingService {

    /** Name of the trainings list in its page cursors. */
    static final String LIST = "trainings";

    @Inject
    io.tenantml.usage.Quotas quotas;

    @Inject
    TenantContext tenantContext;

    @Inject
    CurrentPrincipal principal;

    @Inject
    ModelSpecService specs;

    @Inject
    RunLedger ledger;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    Audit audit;

    @Inject
    NameLocks nameLocks;

    /**
     * Queues a training of {@code model} on a dataset version (latest when null) in the run ledger.
     *
     * @throws ProblemException 404 unknown model, 409 when one is already queued or running (named)
     */
    @Transactional
    public TrainingView start(String model, Integer datasetVersion, TrainingTrigger trigger) {
        ModelSpec spec = specs.spec(model).orElseThrow(() -> ProblemException.notFound("no model '" + model + "'"));
        // Before the start's own lock, as a rule's retrain (which appends to the dataset first) takes them
        specs.reader().holdAgainstPurge(spec.dataset());
        // Two starts at once: the second waits here until the first commits, then finds its run and names it in
        // its 409, as if it had come alone. Without the lock both pass the check, and the loser fails on the
        // ledger's one-active-run index in a transaction that can no longer read who won. Read committed: the
        // check below is a statement after the wait, so it sees the winner's run.
        nameLocks.lock("training-start", tenantContext.require(), model);
        refuseIfActive(model);
        quotas.requireJobSlot(RunKind.TRAINING);
        DatasetVersionRef version = (datasetVersion == null
                        ? specs.reader().latest(spec.dataset())
                        : specs.reader().version(spec.dataset(), datasetVersion))
                .orElseThrow(() -> ProblemException.conflict(
                        "no-dataset-version",
                        "dataset '" + spec.dataset() + "' has "
                                + (datasetVersion == null ? "no version yet" : "no version " + datasetVersion)));
        TrainingEntity entity = newTraining(model, spec.dataset(), version.version(), trigger);
        Run run;
        try {
            run = ledger.enqueue(RunKind.TRAINING, model, entity.id, true);
        } catch (PersistenceException e) {
            // Another start won without taking the lock above (a node of an older release): this transaction is
            // aborted, so the winner cannot be read here to be named (as BuildService.start answers it).
            throw conflictWith(null, model);
        }
        entity.persist();
        // In the start's transaction: a training queued is on the audit trail, whoever started it (a person,
        // or the part of the platform named by the trigger when none did: "schedule", a rule's "rule").
        audit.record(
                "training.started",
                "model=" + model + ", training=" + entity.id,
                Audit.summary(
                        "trigger",
                        trigger.wireName(),
                        "dataset",
                        spec.dataset(),
                        "datasetVersion",
                        Integer.toString(version.version())),
                trigger.wireName());
        return view(entity, run);
    }

    /**
     * A cron fire: queues a training on the dataset's latest version, unless a training is queued or running or the
     * last completed one already used that version; then the fire is recorded as skipped, with why
     * ({@link ScheduledFire}). One transaction under the start lock.
     */
    @Transactional
    public void startScheduled(String model) {
        Optional<ModelSpec> spec = specs.spec(model);
        if (spec.isEmpty()) {
            return;
        }
        String dataset = spec.get().dataset();
        specs.reader().holdAgainstPurge(dataset);
        nameLocks.lock("training-start", tenantContext.require(), model);
        ScheduledFire fire = ScheduledFire.decide(
                dataset,
                specs.reader().latest(dataset).map(DatasetVersionRef::version),
                () -> ledger.active(RunKind.TRAINING, model)
                        .map(active -> conflictWith(active, model).getMessage()),
                version -> lastCompleted(model)
                        .filter(last -> last.datasetVersion() != null && last.datasetVersion() >= version)
                        .map(last -> "no new data since training " + last.id() + " on dataset version "
                                + last.datasetVersion()));
        switch (fire) {
            case ScheduledFire.Skip skip -> recordSkipped(model, dataset, skip.datasetVersion(), skip.reason());
            case ScheduledFire.Start go -> {
                try {
                    start(model, go.datasetVersion(), TrainingTrigger.SCHEDULE);
                } catch (ProblemException e) {
                    recordSkipped(model, dataset, go.datasetVersion(), e.getMessage());
                }
            }
        }
    }

    /** Records a scheduled run that did not start, with why (a message for the tenant). */
    @Transactional
    public TrainingView recordSkipped(String model, String dataset, Integer datasetVersion, String reason) {
        TrainingEntity entity = newTraining(model, dataset, datasetVersion, TrainingTrigger.SCHEDULE);
        Run run = ledger.skipped(RunKind.TRAINING, model, entity.id, "no-new-data", reason);
        entity.persist();
        return view(entity, run);
    }

    public TrainingView get(UUID id) {
        return find(id).orElseThrow(() -> ProblemException.notFound("no training " + id));
    }

    /**
     * The run is read before the training row: a training's results commit no later than its run's SUCCEEDED, so
     * a row read after a succeeded run always has them (read the other way round, a reader could see the run
     * succeeded and the row from before).
     */
    public Optional<TrainingView> find(UUID id) {
        return ledger.find(id)
                .flatMap(run -> TrainingEntity.<TrainingEntity>find("id", id)
                        .firstResultOptional()
                        .map(t -> view(t, run)));
    }

    /**
     * One page of trainings, newest first (then by id), of one model when {@code model} is given. Keyset paging:
     * the cursor holds the creation time and id of the last training of the previous page.
     */
    public Page<TrainingView> list(String model, PageRequest page) {
        List<String> after = page.after(LIST, 2);
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new java.util.HashMap<>();
        if (model != null) {
            where.append(" and model = :model");
            params.put("model", model);
        }
        if (after != null) {
            where.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            params.put("at", PageRequest.instant(after.get(0)));
            params.put("id", cursorId(after.get(1)));
        }
        List<TrainingEntity> rows = TrainingEntity.<TrainingEntity>find(
                        where.toString(),
                        Sort.by("createdAt", Sort.Direction.Descending).and("id", Sort.Direction.Descending),
                        params)
                .page(0, page.fetchSize())
                .list();
        Map<UUID, Run> runs = ledger.find(rows.stream().map(t -> t.id).toList());
        // rows were read before their runs: one whose run has succeeded since is read again (see find)
        List<UUID> stale = rows.stream()
                .filter(t -> t.accepted == null && runs.get(t.id).state() == RunState.SUCCEEDED)
                .map(t -> t.id)
                .toList();
        if (!stale.isEmpty()) {
            TrainingEntity.getEntityManager().clear(); // a read-only list: nothing pending is lost
            Map<UUID, TrainingEntity> fresh = TrainingEntity.<TrainingEntity>list("id in ?1", stale).stream()
                    .collect(java.util.stream.Collectors.toMap(t -> t.id, t -> t));
            rows = rows.stream().map(t -> fresh.getOrDefault(t.id, t)).toList();
        }
        List<TrainingView> views =
                rows.stream().map(t -> view(t, runs.get(t.id))).toList();
        return page.page(views, LIST, v -> List.of(v.createdAt().toString(), v.id().toString()));
    }

    /** Whether the model has a training that is queued, running, or ended other than failed or cancelled. */
    public boolean hasTrainingOtherThanFailedOrCancelled(String model) {
        return ledger.any(
                RunKind.TRAINING,
                model,
                List.of(RunState.QUEUED, RunState.RUNNING, RunState.SUCCEEDED, RunState.SKIPPED));
    }

    /** The latest training that produced a version (succeeded or rejected), for "is there new data?". */
    public Optional<TrainingView> lastCompleted(String model) {
        return ledger.lastEnded(RunKind.TRAINING, model, RunState.SUCCEEDED).flatMap(run -> find(run.id()));
    }

    /**
     * Cancels a queued training at once, and a running one at its next boosting round.
     *
     * @throws ProblemException 409 when it already finished
     */
    @Transactional
    public TrainingView cancel(UUID id) {
        TrainingEntity entity = entity(id);
        if (ledger.cancel(id, "cancelled by " + principal.actor()).isEmpty()) {
            TrainingView ended = view(entity);
            throw ProblemException.conflict(
                    "training-finished",
                    "training " + id + " already ended with status "
                            + ended.status().wireName());
        }
        return view(entity);
    }

    private void refuseIfActive(String model) {
        ledger.active(RunKind.TRAINING, model).ifPresent(active -> {
            throw conflictWith(active, model);
        });
    }

    private static ProblemException conflictWith(Run active, String model) {
        String detail = active == null
                ? "model '" + model + "' already has a training queued or running"
                : "model '" + model + "' already has training " + active.id() + " "
                        + active.state().wireName();
        Problem problem = Problem.of(409, "training-in-progress", "Conflict", detail);
        return new ProblemException(
                active == null ? problem : problem.with("running", active.id().toString()));
    }

    private TrainingEntity newTraining(String model, String dataset, Integer datasetVersion, TrainingTrigger trigger) {
        TrainingEntity entity = new TrainingEntity();
        entity.id = UUID.randomUUID();
        entity.model = model;
        entity.dataset = dataset;
        entity.datasetVersion = datasetVersion;
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
        return view(
                e, ledger.find(e.id).orElseThrow(() -> new IllegalStateException("training " + e.id + " has no run")));
    }

    private TrainingView view(TrainingEntity e, Run run) {
        return new TrainingView(
                e.id,
                e.model,
                e.dataset,
                e.datasetVersion,
                TrainingStatus.of(run.state(), e.accepted),
                e.trigger,
                run.progress(),
                e.rounds,
                run.attempts(),
                e.createdAt,
                run.startedAt(),
                run.finishedAt(),
                readMap(e.metrics),
                readMap(e.baseline),
                e.modelVersion,
                read(e.gate),
                run.errorCode(),
                run.errorMessage(),
                e.warnings);
    }

    private static UUID cursorId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw PageRequest.foreignCursor();
        }
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
