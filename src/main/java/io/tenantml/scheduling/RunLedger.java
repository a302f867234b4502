package io.tenantml.scheduling;

import io.quarkus.panache.common.Sort;
import io.tenantml.scheduling.internal.RunEntity;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The run ledger of the current tenant: one lifecycle (state, attempts, progress, times, a safe error) for every
 * kind of background work. Features enqueue runs here and implement a {@link RunHandler}; the dispatcher runs
 * them (see {@link RunHandler} for the lifecycle and {@code docs/architecture.md}, "Run ledger").
 */
@ApplicationScoped
public class RunLedger {

    /** Cluster event published when a run is queued: wakes the dispatcher of every node at commit. */
    public static final String QUEUED_TOPIC = "run-queued";

    @Inject
    TenantContext tenantContext;

    @Inject
    ClusterEvents events;

    @Inject
    Clock clock;

    /**
     * Queues a run, in the caller's transaction (one is started if there is none). The caller inserts its own
     * row of the same {@code id} in the same transaction.
     *
     * @param exclusive at most one queued or running run of this kind and subject per tenant: a second one fails
     *                  the flush with a {@link jakarta.persistence.PersistenceException} (unique index), which
     *                  the caller turns into its 409
     */
    @Transactional
    public Run enqueue(RunKind kind, String subject, UUID id, boolean exclusive) {
        RunEntity run = newRun(kind, subject, id, RunState.QUEUED);
        run.exclusive = exclusive;
        run.persistAndFlush();
        events.publish(QUEUED_TOPIC, kind.name());
        return run.view();
    }

    /** Records a run that ended without running (a scheduled training with nothing new to learn), with why. */
    @Transactional
    public Run skipped(RunKind kind, String subject, UUID id, String code, String safeMessage) {
        RunEntity run = newRun(kind, subject, id, RunState.SKIPPED);
        run.finishedAt = run.createdAt;
        run.errorCode = code;
        run.errorMessage = safeMessage;
        run.persist();
        return run.view();
    }

    public Optional<Run> find(UUID id) {
        return RunEntity.<RunEntity>find("id", id).firstResultOptional().map(RunEntity::view);
    }

    /** The runs of these ids that the current tenant has, by id. */
    public Map<UUID, Run> find(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return RunEntity.<RunEntity>list("id in ?1", ids).stream()
                .map(RunEntity::view)
                .collect(Collectors.toMap(Run::id, Function.identity()));
    }

    /** The queued or running run of this kind and subject, if any (the oldest when not exclusive). */
    public Optional<Run> active(RunKind kind, String subject) {
        return RunEntity.<RunEntity>find(
                        "kind = ?1 and subject = ?2 and state in ?3",
                        Sort.by("createdAt"),
                        kind,
                        subject,
                        List.of(RunState.QUEUED, RunState.RUNNING))
                .firstResultOptional()
                .map(RunEntity::view);
    }

    /**
     * Cancels every queued run of this kind and subject and asks every running one to stop (its subject is going
     * away), as {@link #cancel} does for one.
     */
    @Transactional
    public void cancelActive(RunKind kind, String subject, String safeMessage) {
        RunEntity.<RunEntity>find(
                        "kind = ?1 and subject = ?2 and state in ?3",
                        kind,
                        subject,
                        List.of(RunState.QUEUED, RunState.RUNNING))
                .list()
                .forEach(run -> cancel(run.id, safeMessage));
    }

    /**
     * Those of these runs (the current tenant's) that are queued or running, oldest first, each described as
     * {@code "<what> <id> (<state>)"} for a tenant reading why something is still needed (a purge's {@code usedBy}).
     */
    public List<String> describeActive(Collection<UUID> ids, String what) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return RunEntity.<RunEntity>list(
                        "id in ?1 and state in ?2 order by createdAt, id",
                        ids,
                        List.of(RunState.QUEUED, RunState.RUNNING))
                .stream()
                .map(run -> what + " " + run.id + " (" + run.state.name().toLowerCase(java.util.Locale.ROOT) + ")")
                .toList();
    }

    /** Whether a run of this kind and subject is in one of these states. */
    public boolean any(RunKind kind, String subject, Collection<RunState> states) {
        return RunEntity.count("kind = ?1 and subject = ?2 and state in ?3", kind, subject, states) > 0;
    }

    /** How many of the current tenant's runs of these kinds are in one of these states (plan quotas). */
    public long count(Collection<RunKind> kinds, Collection<RunState> states) {
        return RunEntity.count("kind in ?1 and state in ?2", kinds, states);
    }

    /**
     * How many of the current tenant's runs of this kind were enqueued at or after {@code since}, not counting
     * those that ended in one of {@code except} (plan quotas: trainings per day, skipped ones excluded).
     */
    public long countSince(RunKind kind, java.time.Instant since, Collection<RunState> except) {
        return RunEntity.count("kind = ?1 and createdAt >= ?2 and state not in ?3", kind, since, except);
    }

    /** The run of this kind and subject that most recently ended in {@code state}. */
    public Optional<Run> lastEnded(RunKind kind, String subject, RunState state) {
        return RunEntity.<RunEntity>find(
                        "kind = ?1 and subject = ?2 and state = ?3",
                        Sort.by("finishedAt", Sort.Direction.Descending).and("id", Sort.Direction.Descending),
                        kind,
                        subject,
                        state)
                .firstResultOptional()
                .map(RunEntity::view);
    }

    /**
     * Cancels a queued run at once, and asks a running one to stop ({@link RunContext#cancelled()} turns true; it
     * ends CANCELLED when its handler stops). Locks the row: a dispatcher claiming it commits before or after.
     *
     * @return the run after the request, or empty when it had already ended (nothing changed)
     */
    @Transactional
    public Optional<Run> cancel(UUID id, String safeMessage) {
        RunEntity run = RunEntity.<RunEntity>find("id", id)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
        if (run == null || !run.state.active()) {
            return Optional.empty();
        }
        if (run.state == RunState.QUEUED) {
            run.state = RunState.CANCELLED;
            run.finishedAt = clock.instant();
            run.errorCode = "cancelled";
            run.errorMessage = safeMessage;
        } else {
            run.cancelRequested = true;
        }
        return Optional.of(run.view());
    }

    private RunEntity newRun(RunKind kind, String subject, UUID id, RunState state) {
        RunEntity run = new RunEntity();
        run.id = id;
        run.kind = kind;
        run.subject = subject;
        run.state = state;
        run.createdAt = clock.instant();
        return run;
    }
}
