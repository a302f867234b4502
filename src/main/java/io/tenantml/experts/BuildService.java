package io.tenantml.experts;

import io.tenantml.dataset.DatasetReader;
import io.tenantml.dataset.DatasetVersionRef;
import io.tenantml.experts.internal.BuildEntity;
import io.tenantml.experts.internal.RecommenderEntity;
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
import io.tenantml.storage.BlobStore;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.usage.Quotas;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Index builds of the current tenant's recommenders: request, list, and the records the schedule leaves. A build
 * is a run of kind {@link RunKind#INDEX_BUILD} in the run ledger (its lifecycle: state, attempts, progress, times,
 * a safe error; subject = the recommender) plus a build row of the same id (what it is about and what it
 * produced); {@code internal.IndexBuilder} is the kind's handler.
 */
@ApplicationScoped
public class BuildService {

    private static final Logger LOG = Logger.getLogger(BuildService.class);
    static final String LIST = "builds";

    @Inject
    TenantContext tenantContext;

    @Inject
    CurrentPrincipal principal;

    @Inject
    RecommenderService recommenders;

    @Inject
    Instance<DatasetReader> datasets;

    @Inject
    RunLedger ledger;

    @Inject
    BlobStore blobs;

    @Inject
    Clock clock;

    @Inject
    Quotas quotas;

    /**
     * Queues a build of the dataset's latest version in the run ledger (it runs once this commits).
     *
     * @throws ProblemException 404 unknown recommender, 409 a build is already queued or running or the plan's
     *     {@code concurrentJobs} are all taken (a build holds a slot like a training), 422 no data
     */
    @Transactional
    public BuildView start(String recommender, BuildTrigger trigger) {
        RecommenderEntity r = recommenders.entity(recommender);
        datasets.get().holdAgainstPurge(r.spec.dataset());
        ledger.active(RunKind.INDEX_BUILD, recommender).ifPresent(active -> {
            throw inProgress(recommender, active);
        });
        quotas.requireJobSlot(RunKind.INDEX_BUILD);
        DatasetVersionRef latest = datasets.get()
                .latest(r.spec.dataset())
                .orElseThrow(() -> ProblemException.unprocessable(
                        "no-data", "dataset '" + r.spec.dataset() + "' has no version yet"));
        BuildEntity b = newBuild(recommender, r.spec.dataset(), latest.version(), trigger);
        Run run;
        try {
            run = ledger.enqueue(RunKind.INDEX_BUILD, recommender, b.id, true);
        } catch (PersistenceException e) {
            // the ledger's one-active-run index lost a race against another node's start
            throw inProgress(recommender, null);
        }
        b.persist();
        return view(b, run, r.currentBuild);
    }

    /**
     * The run is read before the build row, and the row before its recommender: a build's results, its run's
     * SUCCEEDED and the switch of the current generation commit together, so each later read sees them once an
     * earlier one saw the run ended (read the other way round, a finished build could show without its results
     * or as not current).
     */
    public BuildView get(String recommender, UUID id) {
        Optional<Run> run = ledger.find(id).filter(x -> x.kind() == RunKind.INDEX_BUILD);
        Optional<BuildEntity> b =
                run.flatMap(x -> BuildEntity.<BuildEntity>find("id = ?1 and recommender = ?2", id, recommender)
                        .firstResultOptional());
        RecommenderEntity r = recommenders.entity(recommender);
        return view(
                b.orElseThrow(
                        () -> ProblemException.notFound("no build " + id + " of recommender '" + recommender + "'")),
                run.get(),
                r.currentBuild);
    }

    /** Builds of a recommender, newest first like trainings (keyset on creation time and id). */
    public Page<BuildView> list(String recommender, PageRequest page) {
        // The cursor is checked before the recommender: a bad one is the caller's 400 whatever it names.
        List<String> after = page.after(LIST, 2);
        Instant afterTime = after == null ? null : PageRequest.instant(after.get(0));
        UUID afterId = after == null ? null : PageRequest.value(after.get(1), UUID::fromString);
        List<BuildEntity> rows = after == null
                ? BuildEntity.<BuildEntity>find("recommender = ?1 order by createdAt desc, id desc", recommender)
                        .range(0, page.fetchSize() - 1)
                        .list()
                : BuildEntity.<BuildEntity>find(
                                "recommender = ?1 and (createdAt < ?2 or (createdAt = ?2 and id < ?3)) order by createdAt desc, id desc",
                                recommender,
                                afterTime,
                                afterId)
                        .range(0, page.fetchSize() - 1)
                        .list();
        Map<UUID, Run> runs = ledger.find(rows.stream().map(b -> b.id).toList());
        // rows were read before their runs: one whose run has succeeded since is read again (see get)
        List<UUID> stale = rows.stream()
                .filter(b -> b.accepted == null && runs.get(b.id).state() == RunState.SUCCEEDED)
                .map(b -> b.id)
                .toList();
        if (!stale.isEmpty()) {
            BuildEntity.getEntityManager().clear(); // a read-only list: nothing pending is lost
            Map<UUID, BuildEntity> fresh = BuildEntity.<BuildEntity>list("id in ?1", stale).stream()
                    .collect(Collectors.toMap(b -> b.id, b -> b));
            rows = rows.stream().map(b -> fresh.getOrDefault(b.id, b)).toList();
        }
        RecommenderEntity r = recommenders.entity(recommender); // after the rows, as in get
        List<BuildEntity> found = rows;
        return page.page(
                found.stream().map(b -> view(b, runs.get(b.id), r.currentBuild)).toList(),
                LIST,
                v -> List.of(v.createdAt().toString(), v.id().toString()));
    }

    /**
     * A cron fire: queues a build on the dataset's latest version, unless a build is queued or running or the last
     * generation built already indexed that version; then the fire is recorded as skipped, with why
     * ({@link ScheduledFire}). (A start at once by another caller loses on the ledger's one-active-run index and is
     * recorded.)
     */
    @Transactional
    public void startScheduled(String recommender) {
        Optional<RecommenderEntity> r =
                RecommenderEntity.<RecommenderEntity>find("name", recommender).firstResultOptional();
        if (r.isEmpty()) {
            return;
        }
        String dataset = r.get().spec.dataset();
        ScheduledFire fire = ScheduledFire.decide(
                dataset,
                datasets.get().latest(dataset).map(DatasetVersionRef::version),
                () -> ledger.active(RunKind.INDEX_BUILD, recommender)
                        .map(active -> inProgress(recommender, active).getMessage()),
                version -> lastBuiltVersion(recommender)
                        .filter(built -> built >= version)
                        .map(built -> "no new dataset version since version " + built + " was indexed"));
        switch (fire) {
            case ScheduledFire.Skip skip -> recordSkipped(recommender, dataset, skip.datasetVersion(), skip.reason());
            case ScheduledFire.Start go -> {
                try {
                    start(recommender, BuildTrigger.SCHEDULE);
                } catch (ProblemException e) {
                    recordSkipped(recommender, dataset, go.datasetVersion(), e.getMessage());
                }
            }
        }
    }

    /** A scheduled run that found nothing to do: recorded in the ledger as skipped, nothing embedded. */
    @Transactional
    public void recordSkipped(String recommender, String dataset, Integer version, String reason) {
        BuildEntity b = newBuild(recommender, dataset, version, BuildTrigger.SCHEDULE);
        ledger.skipped(RunKind.INDEX_BUILD, recommender, b.id, "no-new-data", reason);
        b.persist();
    }

    /** Whether the recommender has a build queued, running, or ended other than failed or cancelled. */
    public boolean hasBuildOtherThanFailedOrCancelled(String recommender) {
        return ledger.any(
                RunKind.INDEX_BUILD,
                recommender,
                List.of(RunState.QUEUED, RunState.RUNNING, RunState.SUCCEEDED, RunState.SKIPPED));
    }

    /** Asks the recommender's queued or running build, if any, to stop (its recommender is going away). */
    @Transactional
    public void cancelActive(String recommender, String why) {
        ledger.cancelActive(RunKind.INDEX_BUILD, recommender, why);
    }

    /** The dataset version of the newest build that produced a generation (current or kept). */
    public Optional<Integer> lastBuiltVersion(String recommender) {
        return BuildEntity.<BuildEntity>find(
                        "recommender = ?1 and accepted is not null order by datasetVersion desc", recommender)
                .firstResultOptional()
                .map(b -> b.datasetVersion);
    }

    public Optional<BuildEvaluation> currentEvaluation(String recommender) {
        return current(recommender).map(b -> b.evaluation);
    }

    /** The build whose generation answers for the recommender now. */
    public Optional<BuildEntity> current(String recommender) {
        RecommenderEntity r = recommenders.entity(recommender);
        if (r.currentBuild == null) {
            return Optional.empty();
        }
        return BuildEntity.<BuildEntity>find("id", r.currentBuild).firstResultOptional();
    }

    /**
     * Deletes the files of every generation of the recommender but the current one. Open copies (in memory on
     * each node) are unaffected and are closed once the last search holding them ends.
     */
    @Transactional
    public void deleteRetiredFiles(String recommender) {
        // The row lock a build's switch takes too (IndexBuilder.finish): without it a build made current between
        // this read of the current build and the listing below was listed as retired and lost its files.
        RecommenderEntity r = RecommenderEntity.<RecommenderEntity>find("name", recommender)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("no recommender '" + recommender + "'"));
        List<BuildEntity> retired = BuildEntity.<BuildEntity>find(
                        "recommender = ?1 and filesDeleted = false and indexSha256 is not null and id <> ?2",
                        recommender,
                        r.currentBuild)
                .list();
        // Unlike the files of deleted rows (BlobDeletions.deletePrefixAfterCommit), these go before the commit on
        // purpose: a retired generation is never served again (only a new build becomes current), so a rollback
        // leaves no served row without its files, and filesDeleted is a to-do mark: a rollback leaves it unset and
        // the next build's call deletes again (idempotent). Deleting after the commit would set the mark first,
        // and a failure then would never be retried.
        for (BuildEntity b : retired) {
            try {
                blobs.deletePrefix(tenantContext.require(), "experts/" + recommender + "/" + b.id + "/");
                b.filesDeleted = true;
            } catch (IOException e) {
                LOG.warnf(e, "files of build %s not deleted; retried after the next build", b.id);
            }
        }
    }

    private BuildEntity newBuild(String recommender, String dataset, Integer version, BuildTrigger trigger) {
        BuildEntity b = new BuildEntity();
        b.id = UUID.randomUUID();
        b.recommender = recommender;
        b.dataset = dataset;
        b.datasetVersion = version;
        b.trigger = trigger;
        b.createdAt = clock.instant();
        b.requestedBy = switch (trigger) {
            case SCHEDULE -> "schedule";
            case MANIFEST -> "manifest";
            case API -> principal.actor();
        };
        return b;
    }

    private static ProblemException inProgress(String recommender, Run active) {
        String detail = "recommender '" + recommender + "' already has a queued or running build"
                + (active == null
                        ? ""
                        : " (" + active.id() + ", " + active.state().wireName() + ")");
        Problem problem = Problem.of(409, "build-in-progress", "Conflict", detail);
        return new ProblemException(
                active == null ? problem : problem.with("running", active.id().toString()));
    }

    public static BuildView view(BuildEntity b, Run run, UUID current) {
        return new BuildView(
                b.id,
                b.recommender,
                b.dataset,
                b.datasetVersion,
                BuildStatus.of(run.state(), b.accepted),
                b.trigger,
                run.progress(),
                b.phase,
                run.attempts(),
                b.rowsIndexed,
                b.rowsEmbedded,
                b.indexSha256,
                b.indexBytes,
                b.evaluation == null ? null : b.evaluation.served(),
                b.evaluation,
                b.provenance,
                b.gateReason,
                run.errorCode(),
                run.errorMessage(),
                b.id.equals(current),
                b.createdAt,
                run.startedAt(),
                run.finishedAt());
    }
}
