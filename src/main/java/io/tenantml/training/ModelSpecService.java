package io.tenantml.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.dataset.DatasetReader;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.model.InvalidSpecException;
import io.tenantml.registry.ModelRegistry;
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
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/** The current tenant's model specs: validated against the dataset schema, and their retraining schedule. */
@ApplicationScoped
public class ModelSpecService {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    @Inject
    Quotas quotas;

    @Inject
    TenantContext tenantContext;

    @Inject
    CurrentPrincipal principal;

    @Inject
    Instance<DatasetReader> datasets;

    @Inject
    ModelRegistry registry;

    @Inject
    TrainingSchedules schedules;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /** The outcome of a PUT: the stored spec and whether it was new. */
    public record Saved(ModelView model, boolean created) {}

    /**
     * Creates or replaces a spec. Nothing is written unless the whole spec is valid.
     *
     * @throws ProblemException 400 naming the field that is wrong
     */
    @Transactional
    public Saved put(String name, JsonNode body) {
        checkName(name);
        ModelSpec spec = parse(body);
        validate(spec);
        try {
            quotas.requireScheduleInterval(spec.schedule());
        } catch (java.text.ParseException e) {
            throw invalid("schedule", "schedule '" + spec.schedule() + "' is not a valid Quartz cron expression");
        }
        Instant now = clock.instant();
        Optional<ModelSpecEntity> existing = ModelSpecEntity.find("name", name).firstResultOptional();
        if (existing.isEmpty()) {
            quotas.requireRoomForOneMore(Limit.MODELS, ModelSpecEntity.count());
        }
        ModelSpecEntity entity = existing.orElseGet(() -> {
            ModelSpecEntity created = new ModelSpecEntity();
            created.id = UUID.randomUUID();
            created.name = name;
            created.createdAt = now;
            return created;
        });
        String text = write(spec);
        if (!text.equals(entity.spec)) {
            // an unchanged spec (a manifest applied at every start) keeps its audit columns
            entity.spec = text;
            entity.updatedAt = now;
            entity.updatedBy = principal.actor();
        }
        if (existing.isEmpty()) {
            entity.persist();
        }
        schedules.apply(tenantContext.require(), name, spec.schedule());
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

    public Optional<ModelSpec> spec(String name) {
        return ModelSpecEntity.<ModelSpecEntity>find("name", name)
                .firstResultOptional()
                .map(e -> read(e.spec));
    }

    /** Deletes a spec with its schedule, versions, aliases and files. */
    @Transactional
    public void delete(String name) {
        ModelSpecEntity entity = entity(name);
        schedules.remove(tenantContext.require(), name);
        registry.deleteModel(name);
        entity.delete();
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

    private void validate(ModelSpec spec) {
        if (spec.schedule() != null && !CronExpression.isValidExpression(spec.schedule())) {
            throw invalid(
                    "schedule",
                    "schedule '" + spec.schedule() + "' is not a valid Quartz cron expression"
                            + " (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 3 * * ?')");
        }
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
        return new ProblemException(Problem.of(400, "invalid-model-spec", "Invalid model spec", detail)
                .with("field", field));
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
        return new ModelView(e.name, read(e.spec), registry.aliases(e.name), e.createdAt, e.updatedAt, e.updatedBy);
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
