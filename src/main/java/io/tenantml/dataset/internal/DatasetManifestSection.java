package io.tenantml.dataset.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.dataset.DatasetDefinition;
import io.tenantml.dataset.DatasetFormat;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.dataset.DatasetService;
import io.tenantml.dataset.IngestPolicy;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.ManifestSectionHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The {@code datasets:} section of a tenant manifest:
 * <pre>
 * datasets:
 *   - name: penguins
 *     description: Palmer penguins
 *     schema: {...}      # optional, as in PUT /datasets/{name}
 *     policy: {...}      # optional
 *     data: penguins.csv # optional seed file, relative to the manifest; .csv, .json, .ndjson or .jsonl
 * </pre>
 * Idempotent across starts and nodes: the definition is written only when it differs, and a seed file
 * whose exact bytes are already a version's source is not uploaded again (a per-file Idempotency-Key
 * covers two nodes starting at once).
 */
@ApplicationScoped
public class DatasetManifestSection implements ManifestSectionHandler {

    private static final Logger LOG = Logger.getLogger(DatasetManifestSection.class);
    private static final Set<String> FIELDS = Set.of("name", "description", "schema", "policy", "retention", "data");

    @Inject
    DatasetService datasets;

    @Inject
    DatasetStore store;

    @Inject
    ObjectMapper json;

    @Override
    public String section() {
        return "datasets";
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public void apply(TenantId tenant, JsonNode section, Path manifestDir) throws ManifestException {
        if (!section.isArray()) {
            throw new ManifestException("-", "must be a list of datasets");
        }
        for (int i = 0; i < section.size(); i++) {
            applyOne(section.get(i), "[" + i + "]", manifestDir);
        }
    }

    private void applyOne(JsonNode entry, String at, Path manifestDir) throws ManifestException {
        if (!entry.isObject()) {
            throw new ManifestException(at, "must be a mapping with at least 'name'");
        }
        for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new ManifestException(at + "." + field, "unknown field (expected one of " + FIELDS + ")");
            }
        }
        JsonNode nameNode = entry.get("name");
        if (nameNode == null
                || !nameNode.isTextual()
                || !DatasetService.NAME.matcher(nameNode.asText()).matches()) {
            throw new ManifestException(at + ".name", "is required and must match " + DatasetService.NAME.pattern());
        }
        String name = nameNode.asText();
        DatasetDefinition definition = new DatasetDefinition(
                entry.hasNonNull("description") ? entry.get("description").asText() : null,
                convert(entry.get("schema"), DatasetSchema.class, at + ".schema"),
                convert(entry.get("policy"), IngestPolicy.class, at + ".policy"),
                convert(entry.get("retention"), io.tenantml.shared.VersionRetention.class, at + ".retention"));
        try {
            if (differs(name, definition)) {
                datasets.define(name, definition);
            }
            if (entry.hasNonNull("data")) {
                seed(name, entry.get("data").asText(), at + ".data", manifestDir);
            }
        } catch (ProblemException e) {
            // a refusal that names its field (schema.columns[2].type, retention.keepVersions) names it in the entry
            Object field = e.problem().extensions().get("field");
            throw new ManifestException(
                    field == null ? at : at + "." + field, e.problem().detail());
        }
    }

    private boolean differs(String name, DatasetDefinition wanted) {
        if (wanted.description() == null
                && wanted.schema() == null
                && wanted.policy() == null
                && wanted.retention() == null) {
            return false;
        }
        return store.dataset(name)
                .map(d -> {
                    try {
                        return (wanted.description() != null
                                        && !wanted.description().equals(d.description))
                                || (wanted.schema() != null
                                        && (d.schemaJson == null
                                                || !json.readTree(json.writeValueAsString(wanted.schema()))
                                                        .equals(json.readTree(d.schemaJson))))
                                || (wanted.policy() != null
                                        && !json.readTree(json.writeValueAsString(wanted.policy()))
                                                .equals(json.readTree(d.policyJson)))
                                || (wanted.retention() != null
                                        && !java.util.Objects.equals(
                                                wanted.retention().keepVersions(), d.keepVersions));
                    } catch (IOException e) {
                        return true;
                    }
                })
                .orElse(true);
    }

    private void seed(String name, String file, String at, Path manifestDir) throws ManifestException {
        Path base = manifestDir.toAbsolutePath().normalize();
        Path path = base.resolve(file).normalize();
        if (!path.startsWith(base)) {
            throw new ManifestException(at, "'" + file + "' leaves the manifest's directory");
        }
        if (!Files.isRegularFile(path)) {
            throw new ManifestException(at, "no file '" + file + "' beside the manifest");
        }
        DatasetFormat format = formatOf(file)
                .orElseThrow(
                        () -> new ManifestException(at, "'" + file + "' must end in .csv, .json, .ndjson or .jsonl"));
        try {
            String sha = sha256(path);
            boolean present = store.dataset(name)
                    .map(d -> store.versions(d.id).stream()
                            .anyMatch(v -> v.sourceSha256.equals(sha) && v.sourceFormat.equals(format.wireName())))
                    .orElse(false);
            if (present) {
                return;
            }
            try (InputStream in = Files.newInputStream(path)) {
                var result = datasets.upload(name, format, in, "manifest-" + name + "-" + sha.substring(0, 32));
                LOG.infof(
                        result.unchanged()
                                ? "Dataset %s: %s holds what its latest version %d holds; no version made"
                                : "Dataset %s seeded from %s as version %d",
                        name,
                        file,
                        result.version().version());
            }
        } catch (ProblemException e) {
            if (e.problem().status() == 409) {
                return; // another node is seeding the same file right now
            }
            throw new ManifestException(at, e.problem().detail());
        } catch (IOException e) {
            throw new ManifestException(at, "cannot read '" + file + "': " + e.getMessage());
        }
    }

    private <T> T convert(JsonNode node, Class<T> type, String at) throws ManifestException {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return json.treeToValue(node, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new ManifestException(at, e.getMessage().lines().findFirst().orElse("invalid"));
        }
    }

    private static java.util.Optional<DatasetFormat> formatOf(String file) {
        String lower = file.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv")) {
            return java.util.Optional.of(DatasetFormat.CSV);
        }
        if (lower.endsWith(".json")) {
            return java.util.Optional.of(DatasetFormat.JSON);
        }
        if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) {
            return java.util.Optional.of(DatasetFormat.NDJSON);
        }
        return java.util.Optional.empty();
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = Ingestion.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
