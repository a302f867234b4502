package io.tenantml.usage.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.ManifestSectionHandler;
import io.tenantml.usage.Limit;
import io.tenantml.usage.PlanLimits;
import io.tenantml.usage.Plans;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * The {@code plan:} section of a tenant manifest, {@code plan: {limits: {models: 50, ...}}} with the limit names of
 * {@link PlanLimits}. Applied before the datasets and models of the manifest (which it limits), and only when it
 * differs from the stored plan, so a restart changes nothing; the plan then reads as written by {@code manifest}.
 */
@ApplicationScoped
public class PlanManifestSection implements ManifestSectionHandler {

    static final String ACTOR = "manifest";

    @Inject
    Plans plans;

    @Inject
    ObjectMapper json;

    @Override
    public String section() {
        return "plan";
    }

    @Override
    public int order() {
        return 5;
    }

    @Override
    public void apply(TenantId tenant, JsonNode section, Path manifestDir) throws ManifestException {
        if (!section.isObject()) {
            throw new ManifestException("-", "must be a mapping with 'limits'");
        }
        for (Iterator<String> it = section.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!"limits".equals(field)) {
                throw new ManifestException(field, "unknown field (expected 'limits')");
            }
        }
        JsonNode limits = section.path("limits");
        if (!limits.isObject()) {
            throw new ManifestException("limits", "must be a mapping of limit names to whole numbers");
        }
        for (Iterator<java.util.Map.Entry<String, JsonNode>> it = limits.fields(); it.hasNext(); ) {
            java.util.Map.Entry<String, JsonNode> limit = it.next();
            if (java.util.Arrays.stream(Limit.values())
                    .noneMatch(l -> l.wireName().equals(limit.getKey()))) {
                throw new ManifestException("limits." + limit.getKey(), "unknown limit");
            }
            if (!limit.getValue().isIntegralNumber() || limit.getValue().asLong() < 0) {
                throw new ManifestException("limits." + limit.getKey(), "must be a whole number >= 0");
            }
        }
        PlanLimits wanted;
        try {
            wanted = json.treeToValue(limits, PlanLimits.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ManifestException("limits", "unreadable: " + e.getOriginalMessage());
        }
        if (!wanted.equals(plans.plan(tenant).limits())) {
            plans.set(tenant, wanted, ACTOR);
        }
    }
}
