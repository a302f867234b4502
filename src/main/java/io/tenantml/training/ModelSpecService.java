package io.tenantml.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.dataset.DatasetDependents;
import io.tenantml.dataset.DatasetReader;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.model.InvalidSpecException;
import io.tenantml.monitoring.MonitoringSchedules;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.scheduling.CronSchedules;
import io.tenantml.scheduling.RunKind;
import io.tenantml.scheduling.RunLedger;
import io.tenantml.scheduling.SpreadCron;
import io.tenantml.security.CurrentPrincipal;
import io.tenantml.shared.JsonBodies;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.training.internal.ModelSpecEntity;
import io.tenantml.training.internal.TrainingSchedules;
import io.tenantml.usage.Limit;
import io.tenantml.usage.Quotas;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/** The current tenant's model specs: validated against the dataset schema, and their retraining schedule. */
@ApplicationScoped
public class ModelSpecService implements DatasetDependents {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    @Inject
    Quotas quotas;

    @Inject
    io.tenantml.training.internal.ModelCount modelCount;

    @Inject
    TenantContext tenantContext;

    @Inject
    io.tenantml.shared.database.NameLocks nameLocks;

    @Inject
    CurrentPrincipal principal;

    @Inject
    Instance<DatasetReader> datasets;

    @Inject
    ModelRegistry registry;

    @Inject
    TrainingSchedules schedules;

    @Inject
    RunLedger ledger;

    @Inject
    MonitoringSchedules monitoringSchedules;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /** The outcome of a PUT: the stored spec and whether it was new. */
    public record Saved(ModelView model, boolean created) {}

    @Inject
    jakarta.enterprise.inject.Instance<SpecChangeCheck> specChangeChecks;

    /**
     * Creates or replaces a spec. Nothing is written unless the whole spec is valid.
     *
     * @throws ProblemException 400 naming the field that is wrong; 409 when a replacement conflicts with what
     *     depends on the model (its monitoring rules, {@link SpecChangeCheck})
     */
    @Transactional
    public Saved put(String name, JsonNode body) {
        checkName(name);
        ModelSpec spec = parse(body);
        String schedule = effectiveSchedule(name, spec.schedule());
        String monitoringSchedule = effectiveMonitoringSchedule(name, spec.monitoringSchedule());
        validate(spec);
        quotas.requireScheduleInterval("schedule", schedule);
        quotas.requireScheduleInterval("monitoringSchedule", monitoringSchedule);
        Instant now = clock.instant();
        // the same PUT from two clients at once: the second waits, then updates what the first created; the name
        // lock comes before the quota's lock (the order Quotas.requireRoomForOneMore documents)
        nameLocks.lock("model-spec", tenantContext.require(), name);
        Optional<ModelSpecEntity> existing = ModelSpecEntity.find("name", name).firstResultOptional();
        if (existing.isEmpty()) {
            quotas.requireRoomForOneMore(Limit.MODELS, modelCount::current);
        }
        ModelSpecEntity entity = existing.orElseGet(() -> {
            ModelSpecEntity created = new ModelSpecEntity();
            created.id = UUID.randomUUID();
            created.name = name;
            created.createdAt = now;
            return created;
        });
        String text = write(spec);
        if (existing.isPresent() && !text.equals(entity.spec)) {
            ModelSpec previous = read(entity.spec);
            specChangeChecks.forEach(check -> check.beforeChange(name, previous, spec));
        }
        if (!text.equals(entity.spec)) {
            // an unchanged spec (a manifest applied at every start) keeps its audit columns
            entity.spec = text;
            entity.updatedAt = now;
            entity.updatedBy = principal.actor();
        }
        if (existing.isEmpty()) {
            entity.persist();
        }
        schedules.apply(tenantContext.require(), name, schedule);
        monitoringSchedules.apply(tenantContext.require(), name, monitoringSchedule);
        return new Saved(view(entity), existing.isEmpty());
    }

    public ModelView get(String name) {
        return view(entity(name));
    }

    /** The tenant's models by name (unique per tenant). */
    public Page<ModelView> list(PageRequest page) {
        List<String> after = page.after("models", 1);
        List<ModelSpecEntity> rows = after == null
                ? ModelSpecEntity.<ModelSpecEntity>find("order by name")
                        .range(0, page.limit())
                        .list()
                : ModelSpecEntity.<ModelSpecEntity>find("name > ?1 order by name", after.get(0))
                        .range(0, page.limit())
                        .list();
        return page.page(rows.stream().map(this::view).toList(), "models", m -> List.of(m.name()));
    }

    /**
     * Applies the spec's retention to the model's versions (after the spec is stored, outside its transaction, so a
     * PUT that rolls back purges nothing); nothing when the spec keeps every version's file.
     */
    public void applyRetention(String name) {
        spec(name)
                .map(ModelSpec::retention)
                .ifPresent(retention -> registry.applyRetention(name, retention.keepVersions()));
    }

    public Optional<ModelSpec> spec(String name) {
        return ModelSpecEntity.<ModelSpecEntity>find("name", name)
                .firstResultOptional()
                .map(e -> read(e.spec));
    }

    /**
     * Deletes a spec with its schedule, versions, aliases and files. Its queued trainings are cancelled, its running
     * ones stop at their next round, and one that finishes meanwhile registers nothing ({@link #holdForTraining}).
     */
    @Transactional
    public void delete(String name) {
        // two deletes at once: the second waits, then finds no model (404)
        nameLocks.lock("model-spec", tenantContext.require(), name);
        ModelSpecEntity entity = entity(name);
        ledger.cancelActive(RunKind.TRAINING, name, "its model was deleted");
        schedules.remove(tenantContext.require(), name);
        monitoringSchedules.remove(tenantContext.require(), name);
        registry.deleteModel(name);
        entity.delete();
    }

    /**
     * The model's incarnation: the id of its spec row, which a model deleted and created again under the same name
     * does not keep (ids, unlike clocks, compare across nodes).
     */
    public Optional<UUID> incarnation(String name) {
        return ModelSpecEntity.<ModelSpecEntity>find("name", name)
                .firstResultOptional()
                .map(e -> e.id);
    }

    /**
     * Holds the model against a delete or re-creation until the caller's transaction ends (the lock a delete takes)
     * and says whether it is still the {@link #incarnation} a training began on: a version registered under it then
     * cannot outlive a delete, nor join a model created again under the same name.
     */
    public boolean holdForTraining(String name, UUID incarnation) {
        nameLocks.lock("model-spec", tenantContext.require(), name);
        return incarnation(name).filter(incarnation::equals).isPresent();
    }

    DatasetReader reader() {
        if (!datasets.isResolvable()) {
            throw new ProblemException(Problem.of(
                    503,
                    "datasets-unavailable",
                    "Service unavailable",
                    "dataset storage is not available on this node"));
        }
        return datasets.get();
    }

    /**
     * The cron expression Quartz runs for the model: the declared one with its {@code H} tokens resolved for this
     * tenant and model ({@link SpreadCron}), so that many tenants' nightly schedules spread over the night.
     */
    private String effectiveSchedule(String model, String declared) {
        if (declared == null) {
            return null;
        }
        String effective = SpreadCron.resolve(declared, tenantContext.require().value() + "/model/" + model)
                .filter(CronExpression::isValidExpression)
                .orElseThrow(() -> invalid(
                        "schedule",
                        "schedule '" + declared + "' is not a valid Quartz cron expression"
                                + " (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 3 * * ?',"
                                + " or with H for a time spread per model, e.g. 'H H H(0-5) * * ?')"));
        requireFiresAgain("schedule", declared, effective);
        return effective;
    }

    /**
     * The window schedule Quartz runs for the model's monitoring, {@code H} tokens resolved like the retraining
     * schedule's; null: the default ({@code tenantml.monitoring.window.schedule}).
     */
    private String effectiveMonitoringSchedule(String model, String declared) {
        if (declared == null) {
            return null;
        }
        String effective = SpreadCron.resolve(declared, tenantContext.require().value() + "/monitoring/" + model)
                .filter(CronExpression::isValidExpression)
                .orElseThrow(() -> invalid(
                        "monitoringSchedule",
                        "monitoringSchedule '" + declared + "' is not a valid Quartz cron expression"
                                + " (seconds minutes hours day-of-month month day-of-week, e.g. '0 5 * * * ?',"
                                + " or with H for a time spread per model, e.g. '0 H * * * ?')"));
        requireFiresAgain("monitoringSchedule", declared, effective);
        return effective;
    }

    /** A schedule whose year field lies in the past parses but would never run: Quartz refuses to schedule it. */
    private void requireFiresAgain(String field, String declared, String effective) {
        if (!CronSchedules.firesAfter(effective, clock.instant())) {
            throw invalid(field, field + " '" + declared + "' never fires again (its years lie in the past)");
        }
    }

    /**
     * A declared schema must still hold what each model on the dataset reads (its target, its features, a time
     * split's time column): a 409 naming the model and what it misses, before anything is stored.
     */
    @Override
    public void beforeDeclare(String dataset, DatasetSchema schema) {
        readersOf(dataset).forEach((name, spec) -> {
            try {
                spec.resolveFeatures(schema);
            } catch (InvalidSpecException e) {
                throw DatasetDependents.conflict("model '" + name + "'", dataset, e.field(), e.getMessage());
            }
        });
    }

    @Override
    public List<String> dependentsOf(String dataset) {
        return readersOf(dataset).keySet().stream()
                .map(name -> "model '" + name + "'")
                .toList();
    }

    /** The tenant's models on {@code dataset}, by name, with their specs. */
    private java.util.SortedMap<String, ModelSpec> readersOf(String dataset) {
        java.util.SortedMap<String, ModelSpec> readers = new java.util.TreeMap<>();
        for (ModelSpecEntity model : ModelSpecEntity.<ModelSpecEntity>listAll()) {
            ModelSpec spec = read(model.spec);
            if (spec.dataset().equals(dataset)) {
                readers.put(model.name, spec);
            }
        }
        return readers;
    }

    /**
     * The input columns {@code spec} trains on against its dataset's schema as it is now; empty when the dataset
     * or its schema is gone, or no longer fits the spec (the next training will say why).
     */
    public List<String> currentFeatures(ModelSpec spec) {
        try {
            return reader().schema(spec.dataset()).map(spec::resolveFeatures).orElse(List.of());
        } catch (InvalidSpecException e) {
            return List.of();
        }
    }

    private void validate(ModelSpec spec) {
        // a declaration under way either waits for this PUT's commit and checks the stored spec, or is read here
        reader().holdSchema(spec.dataset());
        DatasetSchema schema = reader().schema(spec.dataset())
                .orElseThrow(() -> invalid("dataset", "unknown dataset '" + spec.dataset() + "'"));
        try {
            spec.resolveFeatures(schema);
        } catch (InvalidSpecException e) {
            throw invalid(e.field(), e.getMessage());
        }
    }

    private ModelSpec parse(JsonNode body) {
        return JsonBodies.read(json, body, ModelSpec.class, "model spec", ModelSpecService::invalid);
    }

    static ProblemException invalid(String field, String detail) {
        return ProblemException.badField("invalid-model-spec", field, detail);
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ProblemException.badRequest("invalid-model-name", "model name must match " + NAME.pattern());
        }
    }

    private ModelSpecEntity entity(String name) {
        return ModelSpecEntity.<ModelSpecEntity>find("name", name)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("no model '" + name + "'"));
    }

    private ModelView view(ModelSpecEntity e) {
        ModelSpec spec = read(e.spec);
        Map<String, Integer> aliases = registry.aliases(e.name);
        Integer production = aliases.get(ModelRegistry.PRODUCTION);
        return new ModelView(
                e.name,
                spec,
                aliases,
                production == null ? null : registry.summary(e.name, production),
                retraining(e.name, spec.schedule()),
                e.createdAt,
                e.updatedAt,
                e.updatedBy);
    }

    private ModelView.Retraining retraining(String model, String declared) {
        if (declared == null) {
            return null;
        }
        String effective = effectiveSchedule(model, declared);
        try {
            java.util.Date next =
                    CronSchedules.utc(effective).getNextValidTimeAfter(java.util.Date.from(clock.instant()));
            return new ModelView.Retraining(effective, next == null ? null : next.toInstant());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored schedule of '" + model + "' no longer parses", e);
        }
    }

    private String write(ModelSpec spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ModelSpec read(String text) {
        try {
            return json.readValue(text, ModelSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored model spec unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
