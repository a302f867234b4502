package io.tenantml.experts;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.dataset.DatasetReader;
import io.tenantml.dataset.DatasetVersionRef;
import io.tenantml.experts.internal.BuildEntity;
import io.tenantml.experts.internal.BuildSchedules;
import io.tenantml.experts.internal.RecommenderEntity;
import io.tenantml.security.CurrentPrincipal;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.ProblemException;
import io.tenantml.storage.BlobStore;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Index builds of the current tenant's recommenders: request, list, and the records the schedule leaves. */
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
    BuildSchedules schedules;

    @Inject
    BlobStore blobs;

    @Inject
    Clock clock;

    /**
     * Queues a build of the dataset's latest version (the job fires after the commit).
     *
     * @throws ProblemException 404 unknown recommender, 409 a build is already queued or running, 422 no data
     */
    public BuildView start(String recommender, BuildTrigger trigger) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> insert(recommender, trigger));
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                throw ProblemException.conflict(
                        "build-in-progress", "recommender '" + recommender + "' already has a queued or running build");
            }
            throw e;
        }
    }

    private BuildView insert(String recommender, BuildTrigger trigger) {
        RecommenderEntity r = recommenders.entity(recommender);
        DatasetVersionRef latest = datasets.get()
                .latest(r.spec.dataset())
                .orElseThrow(() -> ProblemException.unprocessable(
                        "no-data", "dataset '" + r.spec.dataset() + "' has no version yet"));
        BuildEntity b = new BuildEntity();
        b.id = UUID.randomUUID();
        b.recommender = recommender;
        b.dataset = r.spec.dataset();
        b.datasetVersion = latest.version();
        b.status = BuildStatus.QUEUED;
        b.trigger = trigger;
        b.createdAt = clock.instant();
        b.requestedBy = trigger == BuildTrigger.SCHEDULE ? "schedule" : principal.actor();
        b.persistAndFlush();
        schedules.enqueue(tenantContext.require(), recommender, b.id);
        return view(b, r.currentBuild);
    }

    public BuildView get(String recommender, UUID id) {
        // Each statement sees what was committed when it ran, and a build's end commits together with the switch
        // of the current generation: the build is read before its recommender, so that a build seen finished is
        // never shown as not current.
        Optional<BuildEntity> b = BuildEntity.<BuildEntity>find("id = ?1 and recommender = ?2", id, recommender)
                .firstResultOptional();
        RecommenderEntity r = recommenders.entity(recommender);
        return view(
                b.orElseThrow(
                        () -> ProblemException.notFound("no build " + id + " of recommender '" + recommender + "'")),
                r.currentBuild);
    }

    /** Builds of a recommender, oldest first (keyset on creation time and id). */
    public Page<BuildView> list(String recommender, PageRequest page) {
        // The cursor is checked before the recommender: a bad one is the caller's 400 whatever it names.
        List<String> after = page.after(LIST, 2);
        Instant afterTime = after == null ? null : PageRequest.value(after.get(0), Instant::parse);
        UUID afterId = after == null ? null : PageRequest.value(after.get(1), UUID::fromString);
        List<BuildEntity> rows = after == null
                ? BuildEntity.<BuildEntity>find("recommender = ?1 order by createdAt, id", recommender)
                        .range(0, page.fetchSize() - 1)
                        .list()
                : BuildEntity.<BuildEntity>find(
                                "recommender = ?1 and (createdAt > ?2 or (createdAt = ?2 and id > ?3)) order by createdAt, id",
                                recommender,
                                afterTime,
                                afterId)
                        .range(0, page.fetchSize() - 1)
                        .list();
        RecommenderEntity r = recommenders.entity(recommender); // after the rows, as in get
        return page.page(
                rows.stream().map(b -> view(b, r.currentBuild)).toList(),
                LIST,
                v -> List.of(v.createdAt().toString(), v.id().toString()));
    }

    /** A scheduled run that found nothing to do: recorded, nothing embedded. */
    public void recordSkipped(String recommender, String dataset, Integer version, String reason) {
        QuarkusTransaction.requiringNew().run(() -> {
            BuildEntity b = new BuildEntity();
            b.id = UUID.randomUUID();
            b.recommender = recommender;
            b.dataset = dataset;
            b.datasetVersion = version;
            b.status = BuildStatus.SKIPPED;
            b.trigger = BuildTrigger.SCHEDULE;
            b.createdAt = clock.instant();
            b.finishedAt = b.createdAt;
            b.error = reason;
            b.requestedBy = "schedule";
            b.persist();
        });
    }

    /** The dataset version of the newest build that produced a generation (current or kept). */
    public Optional<Integer> lastBuiltVersion(String recommender) {
        return BuildEntity.<BuildEntity>find(
                        "recommender = ?1 and status in (?2) order by datasetVersion desc",
                        recommender,
                        List.of(BuildStatus.SUCCEEDED, BuildStatus.REJECTED))
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
        RecommenderEntity r = recommenders.entity(recommender);
        List<BuildEntity> retired = BuildEntity.<BuildEntity>find(
                        "recommender = ?1 and filesDeleted = false and indexSha256 is not null and id <> ?2",
                        recommender,
                        r.currentBuild)
                .list();
        for (BuildEntity b : retired) {
            try {
                blobs.deletePrefix(tenantContext.require(), "experts/" + recommender + "/" + b.id + "/");
                b.filesDeleted = true;
            } catch (IOException e) {
                LOG.warnf(e, "files of build %s not deleted; retried after the next build", b.id);
            }
        }
    }

    public static BuildView view(BuildEntity b, UUID current) {
        return new BuildView(
                b.id,
                b.recommender,
                b.dataset,
                b.datasetVersion,
                b.status,
                b.trigger,
                b.progress,
                b.phase,
                b.attempts,
                b.rowsIndexed,
                b.rowsEmbedded,
                b.indexSha256,
                b.indexBytes,
                b.evaluation == null ? null : b.evaluation.served(),
                b.evaluation,
                b.provenance,
                b.gateReason,
                b.error,
                b.id.equals(current),
                b.createdAt,
                b.startedAt,
                b.finishedAt);
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
