package io.tenantml.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.statistics.FrequentValuesSketch;
import io.tenantml.statistics.QuantileSketch;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reference profile of each of the current tenant's model versions: stored once when training
 * registers the version, read by the windows job and the batch drift check. Every query names the tenant.
 */
@ApplicationScoped
public class ReferenceProfiles {

    private static final String FEATURE = "feature";
    private static final String OUTPUT = "output";
    private static final String LABEL = "label";

    @Inject
    TenantContext tenantContext;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    /** Stores a version's profile; a second store of the same version (a redone training) keeps the first. */
    @Transactional
    public void store(String model, int version, ReferenceProfile profile) {
        String tenant = tenantContext.require().value();
        int inserted = em.createNativeQuery("insert into model_reference (tenant_id, model, version, "
                        + "validation_rows, metrics, provenance, created_at) values (:tenant, :model, :version, :rows, "
                        + "cast(:metrics as jsonb), cast(:provenance as jsonb), :created) on conflict do nothing")
                .setParameter("tenant", tenant)
                .setParameter("model", model)
                .setParameter("version", version)
                .setParameter("rows", profile.validation().rows())
                .setParameter("metrics", write(profile.metrics()))
                .setParameter("provenance", write(profile.provenance()))
                .setParameter("created", profile.provenance().createdAt())
                .executeUpdate();
        if (inserted == 0) {
            return;
        }
        ReferenceProfile.ValidationSample sample = profile.validationSample();
        if (sample != null && sample.width() > 0) {
            em.createNativeQuery("insert into model_reference_validation_sample (tenant_id, model, version, rows, "
                            + "width, data) values (:tenant, :model, :version, :rows, :width, :data)")
                    .setParameter("tenant", tenant)
                    .setParameter("model", model)
                    .setParameter("version", version)
                    .setParameter("rows", sample.rows())
                    .setParameter("width", sample.width())
                    .setParameter("data", pack(sample))
                    .executeUpdate();
        }
        int position = 0;
        for (ReferenceProfile.FeatureReference f : profile.features()) {
            byte[] bytes = f.kind() == FeatureKind.NUMERIC
                    ? f.quantiles().toBytes()
                    : f.categories().toBytes();
            sketch(
                    tenant,
                    model,
                    version,
                    FEATURE,
                    position++,
                    f.feature(),
                    f.column(),
                    f.kind(),
                    f.rows(),
                    f.missing(),
                    bytes);
        }
        ReferenceProfile.ValidationReference v = profile.validation();
        for (int o = 0; o < v.outputs().size(); o++) {
            sketch(
                    tenant,
                    model,
                    version,
                    OUTPUT,
                    o,
                    v.outputNames().get(o),
                    null,
                    FeatureKind.NUMERIC,
                    v.rows(),
                    0,
                    v.outputs().get(o).toBytes());
        }
        if (v.labelClasses() != null) {
            sketch(
                    tenant,
                    model,
                    version,
                    LABEL,
                    0,
                    "label",
                    null,
                    FeatureKind.CATEGORICAL,
                    v.rows(),
                    0,
                    v.labelClasses().toBytes());
        } else {
            sketch(
                    tenant,
                    model,
                    version,
                    LABEL,
                    0,
                    "label",
                    null,
                    FeatureKind.NUMERIC,
                    v.rows(),
                    0,
                    v.labelValues().toBytes());
        }
    }

    /**
     * The feature names and their input columns in the references of the model's versions (of {@code version}
     * only, when not null), without reading any sketch: what a series may name. Empty for versions trained before
     * profiles existed.
     */
    @Transactional
    public Map<String, String> featureColumns(String model, Integer version) {
        jakarta.persistence.Query query = em.createNativeQuery("select distinct name, column_name "
                        + "from model_reference_sketch where tenant_id = :tenant and model = :model and role = :role"
                        + (version == null ? "" : " and version = :version")
                        + " order by name")
                .setParameter("tenant", tenantContext.require().value())
                .setParameter("model", model)
                .setParameter("role", FEATURE);
        if (version != null) {
            query.setParameter("version", version);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        Map<String, String> columns = new TreeMap<>();
        rows.forEach(r -> columns.putIfAbsent((String) r[0], (String) r[1]));
        return columns;
    }

    /** The current tenant's profile of a version; empty for a version trained before profiles existed. */
    @Transactional
    public Optional<ReferenceProfile> find(String model, int version) {
        String tenant = tenantContext.require().value();
        @SuppressWarnings("unchecked")
        List<Object[]> head = em.createNativeQuery("select validation_rows, cast(metrics as text), "
                        + "cast(provenance as text) from model_reference where tenant_id = :tenant and model = :model "
                        + "and version = :version")
                .setParameter("tenant", tenant)
                .setParameter("model", model)
                .setParameter("version", version)
                .getResultList();
        if (head.isEmpty()) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select role, position, name, column_name, kind, rows, missing, "
                        + "sketch from model_reference_sketch where tenant_id = :tenant and model = :model "
                        + "and version = :version order by role, position")
                .setParameter("tenant", tenant)
                .setParameter("model", model)
                .setParameter("version", version)
                .getResultList();
        List<ReferenceProfile.FeatureReference> features = new ArrayList<>();
        List<String> outputNames = new ArrayList<>();
        List<QuantileSketch> outputs = new ArrayList<>();
        FrequentValuesSketch labelClasses = null;
        QuantileSketch labelValues = null;
        for (Object[] r : rows) {
            String role = (String) r[0];
            FeatureKind kind = FeatureKind.valueOf(((String) r[4]).toUpperCase(Locale.ROOT));
            byte[] bytes = (byte[]) r[7];
            switch (role) {
                case FEATURE ->
                    features.add(new ReferenceProfile.FeatureReference(
                            (String) r[2],
                            (String) r[3],
                            kind,
                            ((Number) r[5]).longValue(),
                            ((Number) r[6]).longValue(),
                            kind == FeatureKind.NUMERIC ? QuantileSketch.fromBytes(bytes) : null,
                            kind == FeatureKind.CATEGORICAL ? FrequentValuesSketch.fromBytes(bytes) : null));
                case OUTPUT -> {
                    outputNames.add((String) r[2]);
                    outputs.add(QuantileSketch.fromBytes(bytes));
                }
                default -> {
                    if (kind == FeatureKind.CATEGORICAL) {
                        labelClasses = FrequentValuesSketch.fromBytes(bytes);
                    } else {
                        labelValues = QuantileSketch.fromBytes(bytes);
                    }
                }
            }
        }
        @SuppressWarnings("unchecked")
        List<Object[]> samples = em.createNativeQuery("select rows, width, data from model_reference_validation_sample "
                        + "where tenant_id = :tenant and model = :model and version = :version")
                .setParameter("tenant", tenant)
                .setParameter("model", model)
                .setParameter("version", version)
                .getResultList();
        ReferenceProfile.ValidationSample sample = samples.isEmpty()
                ? null
                : unpack(((Number) samples.get(0)[0]).intValue(), ((Number) samples.get(0)[1]).intValue(), (byte[])
                        samples.get(0)[2]);
        Object[] h = head.get(0);
        try {
            return Optional.of(new ReferenceProfile(
                    features,
                    new ReferenceProfile.ValidationReference(
                            ((Number) h[0]).longValue(), outputNames, outputs, labelClasses, labelValues),
                    json.readValue((String) h[1], new TypeReference<Map<String, ReferenceProfile.MetricEstimate>>() {}),
                    json.readValue((String) h[2], ReferenceProfile.ReferenceProvenance.class),
                    sample));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the reference profile of " + model + " v" + version + " is unreadable", e);
        }
    }

    private void sketch(
            String tenant,
            String model,
            int version,
            String role,
            int position,
            String name,
            String column,
            FeatureKind kind,
            long rows,
            long missing,
            byte[] bytes) {
        em.createNativeQuery("insert into model_reference_sketch (tenant_id, model, version, role, position, name, "
                        + "column_name, kind, rows, missing, sketch) values (:tenant, :model, :version, :role, "
                        + ":position, :name, cast(:column as varchar), :kind, :rows, :missing, :sketch)")
                .setParameter("tenant", tenant)
                .setParameter("model", model)
                .setParameter("version", version)
                .setParameter("role", role)
                .setParameter("position", position)
                .setParameter("name", name)
                .setParameter("column", column)
                .setParameter("kind", kind.name().toLowerCase(Locale.ROOT))
                .setParameter("rows", rows)
                .setParameter("missing", missing)
                .setParameter("sketch", bytes)
                .executeUpdate();
    }

    /** Per row: the label, then the outputs; float32 big endian (V57). */
    static byte[] pack(ReferenceProfile.ValidationSample sample) {
        ByteBuffer buffer = ByteBuffer.allocate(sample.rows() * (1 + sample.width()) * Float.BYTES);
        for (int i = 0; i < sample.rows(); i++) {
            buffer.putFloat(sample.labels()[i]);
            for (float o : sample.outputs()[i]) {
                buffer.putFloat(o);
            }
        }
        return buffer.array();
    }

    static ReferenceProfile.ValidationSample unpack(int rows, int width, byte[] data) {
        if (data.length != rows * (1 + width) * Float.BYTES) {
            throw new IllegalStateException(
                    "a validation sample of " + rows + " rows of " + width + " outputs has " + data.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        float[] labels = new float[rows];
        float[][] outputs = new float[rows][width];
        for (int i = 0; i < rows; i++) {
            labels[i] = buffer.getFloat();
            for (int o = 0; o < width; o++) {
                outputs[i][o] = buffer.getFloat();
            }
        }
        return new ReferenceProfile.ValidationSample(labels, outputs);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
