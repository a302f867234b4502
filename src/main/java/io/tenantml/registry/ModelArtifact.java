package io.tenantml.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.model.ModelProvenance;
import io.tenantml.model.TargetEncoding;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The model file format: XGBoost's UBJSON model with the transform, target encoding and provenance as
 * booster attributes, so that a file is self-describing even without the registry row. Reading checks
 * the SHA-256 first and refuses a file that does not match.
 */
public final class ModelArtifact {

    public static final String FORMAT = "ubj";
    static final String ATTRIBUTE_TRANSFORM = "tenantml.transform";
    static final String ATTRIBUTE_TARGET = "tenantml.target";
    static final String ATTRIBUTE_PROVENANCE = "tenantml.provenance";

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelArtifact() {}

    /** What travels with the booster inside the file. */
    public record Metadata(FeatureTransform transform, TargetEncoding target, ModelProvenance provenance) {
        public Metadata {
            Objects.requireNonNull(transform, "transform");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(provenance, "provenance");
        }
    }

    /** Serialises the booster with its metadata (the metadata is also set on the booster itself). */
    public static byte[] write(Booster booster, Metadata metadata) throws XGBoostError {
        booster.setAttr(ATTRIBUTE_TRANSFORM, metadata.transform().toJson());
        booster.setAttr(ATTRIBUTE_TARGET, json(metadata.target()));
        booster.setAttr(ATTRIBUTE_PROVENANCE, json(metadata.provenance()));
        return booster.toByteArray(FORMAT);
    }

    /**
     * Loads a model file after checking its hash.
     *
     * @throws TamperedModelException when the bytes do not hash to {@code expectedSha256}
     */
    public static LoadedModel read(byte[] bytes, String expectedSha256) throws XGBoostError {
        Objects.requireNonNull(expectedSha256, "expectedSha256");
        String actual = sha256(bytes);
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw new TamperedModelException("model file refused: its SHA-256 is " + actual
                    + " but the registry recorded " + expectedSha256 + "; the file was changed after registration");
        }
        Booster booster;
        try {
            booster = XGBoost.loadModel(bytes);
        } catch (IOException e) {
            throw new XGBoostError("model file cannot be read: " + e.getMessage());
        }
        try {
            Metadata metadata = new Metadata(
                    FeatureTransform.fromJson(required(booster, ATTRIBUTE_TRANSFORM)),
                    JSON.readValue(required(booster, ATTRIBUTE_TARGET), TargetEncoding.class),
                    JSON.readValue(required(booster, ATTRIBUTE_PROVENANCE), ModelProvenance.class));
            return new LoadedModel(booster, metadata, actual, bytes.length);
        } catch (JsonProcessingException | RuntimeException | XGBoostError e) {
            booster.dispose();
            throw e instanceof XGBoostError xe
                    ? xe
                    : new XGBoostError("model file metadata unreadable: " + e.getMessage());
        }
    }

    private static String required(Booster booster, String attribute) throws XGBoostError {
        String value = booster.getAttr(attribute);
        if (value == null) {
            throw new XGBoostError("model file has no " + attribute + " attribute; it was not written by TenantML");
        }
        return value;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
