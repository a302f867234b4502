package io.tenantml.training.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.ManifestSectionHandler;
import io.tenantml.training.ModelSpecService;
import io.tenantml.training.TrainingService;
import io.tenantml.training.TrainingTrigger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The {@code models:} section of a tenant manifest: a map of model name to spec (the body of
 * {@code PUT /models/{m}}). Applied after the datasets (order 20). A declared model that has never
 * trained gets a first training queued, so a demo tenant has a model shortly after start; on later starts
 * nothing happens unless the spec changed. Several nodes starting together queue at most one training
 * (the one-active-training index).
 */
@ApplicationScoped
public class ModelManifestSection implements ManifestSectionHandler {

    private static final Logger LOG = Logger.getLogger(ModelManifestSection.class);

    @Inject
    ModelSpecService specs;

    @Inject
    TrainingService trainings;

    @Inject
    ModelRegistry registry;

    @Override
    public String section() {
        return "models";
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public void apply(TenantId tenant, JsonNode section, Path manifestDir) throws ManifestException {
        if (section == null || !section.isObject()) {
            throw new ManifestException("", "must be a map of model name to model spec");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> model = it.next();
            String name = model.getKey();
            try {
                specs.put(name, model.getValue());
                specs.applyRetention(name);
                if (!registry.hasVersions(name) && !trainings.hasTrainingOtherThanFailedOrCancelled(name)) {
                    trainings.start(name, null, TrainingTrigger.MANIFEST);
                    LOG.infof("queued the first training of %s/%s declared in its manifest", tenant, name);
                }
            } catch (ProblemException e) {
                if (e.problem().status() == 409 && "training-in-progress".equals(slug(e))) {
                    continue;
                }
                Object field = e.problem().extensions().get("field");
                throw new ManifestException(
                        field == null || field.toString().isEmpty() ? name : name + "." + field, e.getMessage());
            }
        }
    }

    private static String slug(ProblemException e) {
        String type = e.problem().type();
        return type.substring(type.lastIndexOf('/') + 1);
    }
}
