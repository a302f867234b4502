package io.tenantml.tenancy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.arc.All;
import io.quarkus.runtime.StartupEvent;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.ManifestSectionHandler;
import io.tenantml.tenancy.ManifestSectionHandler.ManifestException;
import io.tenantml.tenancy.TenancyConfig;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.tenancy.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Applies {@code tenants/<id>/tenant.yaml} at start: creates what is missing, updates what changed,
 * never deletes. A broken manifest is reported (log and readiness data) with its file and field and does
 * not stop the others.
 */
@ApplicationScoped
public class TenantManifests {

    private static final Logger LOG = Logger.getLogger(TenantManifests.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public record ManifestError(String file, String field, String message) {
        @Override
        public String toString() {
            return file + ": " + field + ": " + message;
        }
    }

    private final List<String> applied = new CopyOnWriteArrayList<>();
    private final List<ManifestError> errors = new CopyOnWriteArrayList<>();

    @Inject
    TenancyConfig config;

    @Inject
    TenantService tenants;

    @Inject
    TenantScope scope;

    @Inject
    @All
    List<ManifestSectionHandler> handlers;

    void onStart(@Observes StartupEvent event) {
        applyAll();
    }

    public synchronized void applyAll() {
        applied.clear();
        errors.clear();
        Path dir = config.manifestsDir();
        if (!Files.isDirectory(dir)) {
            LOG.infof("No tenant manifests directory at %s", dir.toAbsolutePath());
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path tenantDir : entries.filter(Files::isDirectory).sorted().toList()) {
                Path file = tenantDir.resolve("tenant.yaml");
                if (Files.isRegularFile(file)) {
                    apply(file);
                }
            }
        } catch (IOException e) {
            errors.add(new ManifestError(dir.toString(), "-", "cannot list manifests: " + e.getMessage()));
        }
        errors.forEach(e -> LOG.errorf("Tenant manifest not applied: %s", e));
        LOG.infof("Tenant manifests applied: %s", applied);
    }

    private void apply(Path file) {
        String where = file.toString();
        try {
            JsonNode root = YAML.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new ManifestException("-", "the manifest must be a mapping with 'id' and 'name'");
            }
            String id = text(root, "id");
            if (!TenantId.isValid(id)) {
                throw new ManifestException("id", "'" + id + "' does not match " + TenantId.PATTERN);
            }
            String name = text(root, "name");
            if (name.isBlank() || name.length() > 200) {
                throw new ManifestException("name", "must have 1..200 characters");
            }
            List<Map.Entry<ManifestSectionHandler, JsonNode>> sections = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals("id") || field.getKey().equals("name")) {
                    continue;
                }
                ManifestSectionHandler handler = handlers.stream()
                        .filter(h -> h.section().equals(field.getKey()))
                        .findFirst()
                        .orElseThrow(() -> new ManifestException(field.getKey(), "unknown field"));
                sections.add(Map.entry(handler, field.getValue()));
            }
            TenantId tenant = new TenantId(id);
            tenants.upsertDeclared(tenant, name);
            sections.sort(Comparator.comparingInt(e -> e.getKey().order()));
            for (Map.Entry<ManifestSectionHandler, JsonNode> section : sections) {
                try {
                    scope.callChecked(tenant, () -> {
                        section.getKey().apply(tenant, section.getValue(), file.getParent());
                        return null;
                    });
                } catch (ManifestException e) {
                    errors.add(new ManifestError(where, section.getKey().section() + "." + e.field(), e.getMessage()));
                }
            }
            applied.add(id);
        } catch (ManifestException e) {
            errors.add(new ManifestError(where, e.field(), e.getMessage()));
        } catch (IOException e) {
            errors.add(new ManifestError(
                    where,
                    "-",
                    "unreadable YAML: " + e.getMessage().lines().findFirst().orElse("")));
        } catch (Exception e) {
            LOG.errorf(e, "Manifest %s failed", where);
            errors.add(new ManifestError(where, "-", e.toString()));
        }
    }

    private static String text(JsonNode root, String field) throws ManifestException {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual()) {
            throw new ManifestException(field, "is required and must be a string");
        }
        return node.asText();
    }

    public List<String> applied() {
        return List.copyOf(applied);
    }

    public List<ManifestError> errors() {
        return List.copyOf(errors);
    }
}
