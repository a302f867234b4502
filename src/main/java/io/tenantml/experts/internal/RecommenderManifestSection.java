package io.tenantml.experts.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantml.experts.BuildService;
import io.tenantml.experts.BuildTrigger;
import io.tenantml.experts.RecommenderService;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.ManifestSectionHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The {@code recommenders:} section of a tenant manifest: a map of recommender name to spec (the body of
 * {@code PUT /recommenders/{r}}). Applied after the datasets (order 30). A declared recommender that has never
 * built gets a first build queued on the run ledger, so a demo tenant can recommend shortly after start; on
 * later starts nothing is queued (its schedule, if any, rebuilds on new data). Several nodes starting together
 * queue at most one build (the ledger's one-active-run index).
 */
@ApplicationScoped
public class RecommenderManifestSection implements ManifestSectionHandler {

    private static final Logger LOG = Logger.getLogger(RecommenderManifestSection.class);

    @Inject
    RecommenderService recommenders;

    @Inject
    BuildService builds;

    @Override
    public String section() {
        return "recommenders";
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public void apply(TenantId tenant, JsonNode section, Path manifestDir) throws ManifestException {
        if (section == null || !section.isObject()) {
            throw new ManifestException("", "must be a map of recommender name to recommender spec");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> recommender = it.next();
            String name = recommender.getKey();
            try {
                recommenders.put(name, recommender.getValue());
                if (!builds.hasBuildOtherThanFailedOrCancelled(name)) {
                    builds.start(name, BuildTrigger.MANIFEST);
                    LOG.infof("queued the first build of recommender %s/%s declared in its manifest", tenant, name);
                }
            } catch (ProblemException e) {
                if (e.problem().status() == 409 && "build-in-progress".equals(slug(e))) {
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
