package io.tenantml.serving;

import io.tenantml.feature.FeatureTransform;
import io.tenantml.registry.LoadedModel;
import java.util.Objects;

/**
 * A loaded model version as the serving cache keeps it: the model with its transform's feature names and
 * types computed once, because FeatureTransform derives them on every call and a single-record prediction
 * would otherwise pay for that on each request.
 */
public final class ServedModel implements AutoCloseable {

    private final LoadedModel model;
    private final String[] featureNames;
    private final String[] featureTypes;
    private final int width;

    public ServedModel(LoadedModel model) {
        this.model = Objects.requireNonNull(model, "model");
        FeatureTransform transform = model.transform();
        this.featureNames = transform.featureNames();
        this.featureTypes = transform.featureTypes();
        this.width = transform.width();
    }

    public LoadedModel model() {
        return model;
    }

    public FeatureTransform transform() {
        return model.transform();
    }

    /** Shared, never modify. */
    public String[] featureNames() {
        return featureNames;
    }

    /** Shared, never modify. */
    public String[] featureTypes() {
        return featureTypes;
    }

    public int width() {
        return width;
    }

    public long bytes() {
        return model.bytes();
    }

    @Override
    public void close() {
        model.close();
    }
}
