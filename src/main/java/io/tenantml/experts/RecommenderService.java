package io.tenantml.experts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.dataset.DatasetDependents;
import io.tenantml.dataset.DatasetReader;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.experts.internal.BuildEntity;
import io.tenantml.experts.internal.BuildSchedules;
import io.tenantml.experts.internal.OpenIndexes;
import io.tenantml.experts.internal.RecommenderEntity;
import io.tenantml.scheduling.CronSchedules;
import io.tenantml.security.CurrentPrincipal;
import io.tenantml.shared.JsonBodies;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.storage.BlobDeletions;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/** The current tenant's recommenders: validated against their dataset's schema, with their build schedule. */
@ApplicationScoped
public class RecommenderService implements DatasetDependents {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    static final String LIST = "recommenders";

    @Inject
    TenantContext tenantContext;

    @Inject
    io.tenantml.shared.database.NameLocks nameLocks;

    @Inject
    CurrentPrincipal principal;

    @Inject
    Instance<DatasetReader> datasets;

    @Inject
    BuildSchedules schedules;

    @Inject
    OpenIndexes indexes;

    @Inject
    Instance<BuildService> builds;

    @Inject
    BlobDeletions blobDeletions;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    io.tenantml.usage.Quotas quotas;

    @Inject
    io.tenantml.experts.internal.RecommenderCount recommenderCount;

    public record Saved(RecommenderView recommender, boolean created) {}

    /**
     * Creates or replaces a recommender. Nothing is written unless the whole spec is valid.
     *
     * @throws ProblemException 400 naming the field that is wrong
     */
    @Transactional
    public Saved put(String name, JsonNode body) {
        checkName(name);
        RecommenderSpec spec = parse(body);
        validate(spec);
        quotas.requireScheduleInterval("schedule", spec.schedule());
        Instant now = clock.instant();
        // the same PUT from two clients at once: the second waits, then updates what the first created; the name
        // lock comes before the quota's lock (the order Quotas.requireRoomForOneMore documents)
        nameLocks.lock("recommender", tenantContext.require(), name);
        Optional<RecommenderEntity> existing =
                RecommenderEntity.<RecommenderEntity>find("name", name).firstResultOptional();
        if (existing.isEmpty()) {
            quotas.requireRoomForOneMore(io.tenantml.usage.Limit.RECOMMENDERS, recommenderCount::current);
        }
        RecommenderEntity entity = existing.orElseGet(() -> {
            RecommenderEntity created = new RecommenderEntity();
            created.id = UUID.randomUUID();
            created.name = name;
            created.createdAt = now;
            return created;
        });
        if (!spec.equals(entity.spec)) {
            entity.spec = spec;
            entity.updatedAt = now;
            entity.updatedBy = principal.actor();
        }
        if (existing.isEmpty()) {
            entity.persist();
        }
        schedules.apply(tenantContext.require(), name, spec.schedule());
        return new Saved(view(entity), existing.isEmpty());
    }

    public RecommenderView get(String name) {
        return view(entity(name));
    }

    /** Recommenders by name, one page (keyset on the name). */
    public Page<RecommenderView> list(PageRequest page) {
        List<String> after = page.after(LIST, 1);
        List<RecommenderEntity> rows = after == null
                ? RecommenderEntity.<RecommenderEntity>find("order by name")
                        .range(0, page.fetchSize() - 1)
                        .list()
                : RecommenderEntity.<RecommenderEntity>find("name > ?1 order by name", after.get(0))
                        .range(0, page.fetchSize() - 1)
                        .list();
        return page.page(rows.stream().map(this::view).toList(), LIST, v -> List.of(v.name()));
    }

    public Optional<RecommenderSpec> spec(String name) {
        return RecommenderEntity.<RecommenderEntity>find("name", name)
                .firstResultOptional()
                .map(e -> e.spec);
    }

    /** Deletes a recommender with its schedule, builds, generation files and open searchers on every node. */
    @Transactional
    public void delete(String name) {
        // two deletes at once: the second waits, then finds no recommender (404)
        nameLocks.lock("recommender", tenantContext.require(), name);
        RecommenderEntity entity = entity(name);
        schedules.remove(tenantContext.require(), name);
        // a queued build is cancelled at once, a running one at its next progress report; build rows go now
        builds.get().cancelActive(name, "its recommender was deleted");
        BuildEntity.delete("recommender", name);
        entity.delete();
        // after the commit: a delete that rolls back keeps a current generation whose files must still load
        blobDeletions.deletePrefixAfterCommit(tenantContext.require(), "experts/" + name + "/");
        indexes.evict(tenantContext.require(), name);
    }

    /** A declared schema must still hold the columns each recommender on the dataset reads, typed as it reads them. */
    @Override
    public void beforeDeclare(String dataset, DatasetSchema schema) {
        for (RecommenderEntity recommender : readersOf(dataset)) {
            try {
                recommender.spec.validate(schema);
            } catch (InvalidRecommenderException e) {
                throw DatasetDependents.conflict(
                        "recommender '" + recommender.name + "'", dataset, e.field(), e.getMessage());
            }
        }
    }

    @Override
    public List<String> dependentsOf(String dataset) {
        return readersOf(dataset).stream()
                .map(r -> "recommender '" + r.name + "'")
                .toList();
    }

    /** The tenant's recommenders on {@code dataset}, by name. */
    private List<RecommenderEntity> readersOf(String dataset) {
        return RecommenderEntity.<RecommenderEntity>find("order by name").list().stream()
                .filter(r -> r.spec.dataset().equals(dataset))
                .toList();
    }

    private void validate(RecommenderSpec spec) {
        if (spec.schedule() != null && !CronExpression.isValidExpression(spec.schedule())) {
            throw invalid(
                    "schedule",
                    "schedule '" + spec.schedule() + "' is not a valid Quartz cron expression"
                            + " (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 3 * * ?')");
        }
        if (spec.schedule() != null && !CronSchedules.firesAfter(spec.schedule(), clock.instant())) {
            // Quartz refuses to schedule a trigger that never fires
            throw invalid(
                    "schedule", "schedule '" + spec.schedule() + "' never fires again (its years lie in the past)");
        }
        if (!datasets.isResolvable()) {
            throw new ProblemException(Problem.of(
                    503,
                    "datasets-unavailable",
                    "Service unavailable",
                    "dataset storage is not available on this node"));
        }
        // a declaration under way either waits for this PUT's commit and checks the stored spec, or is read here
        datasets.get().holdSchema(spec.dataset());
        DatasetSchema schema = datasets.get()
                .schema(spec.dataset())
                .orElseThrow(() -> invalid("dataset", "unknown dataset '" + spec.dataset() + "'"));
        try {
            spec.validate(schema);
        } catch (InvalidRecommenderException e) {
            throw invalid(e.field(), e.getMessage());
        }
    }

    private RecommenderSpec parse(JsonNode body) {
        return JsonBodies.read(json, body, RecommenderSpec.class, "recommender spec", RecommenderService::invalid);
    }

    static ProblemException invalid(String field, String detail) {
        return ProblemException.badField("invalid-recommender", field, detail);
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ProblemException.badRequest(
                    "invalid-recommender-name", "recommender name must match " + NAME.pattern());
        }
    }

    RecommenderEntity entity(String name) {
        Objects.requireNonNull(name, "name");
        return RecommenderEntity.<RecommenderEntity>find("name", name)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("no recommender '" + name + "'"));
    }

    private RecommenderView view(RecommenderEntity e) {
        String staleReason = staleReason(e);
        return new RecommenderView(
                e.name,
                e.spec,
                e.currentBuild,
                staleReason != null,
                staleReason,
                e.createdAt,
                e.updatedAt,
                e.updatedBy);
    }

    /**
     * Why the current generation no longer matches the spec, or null. A stale generation keeps answering (the
     * previous generation answers until a new one is current, as during any build): refusing would take a
     * tenant's recommendations down for the length of a build because of a spec edit.
     */
    private static String staleReason(RecommenderEntity e) {
        if (e.currentBuild == null) {
            return null;
        }
        BuildEntity current =
                BuildEntity.<BuildEntity>find("id", e.currentBuild).firstResult();
        if (current == null || current.provenance == null || current.provenance.spec() == null) {
            return null;
        }
        List<String> changed = e.spec.indexChanges(current.provenance.spec());
        if (changed.isEmpty()) {
            return null;
        }
        return String.join(", ", changed) + " changed"
                + " since build " + e.currentBuild + " was indexed; recommend answers from that build until a new"
                + " build is current (POST .../builds)";
    }
}
