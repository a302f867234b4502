package io.tenantml.monitoring;

import io.tenantml.dataset.DatasetReader;
import io.tenantml.dataset.DatasetRow;
import io.tenantml.dataset.DatasetVersionRef;
import io.tenantml.feature.FeatureInput;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.registry.ModelVersionView;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Batch drift check: before training on a dataset version, compare it with what the production version was
 * trained on. The version's rows are encoded by the production version's own {@link FeatureTransform} (the one
 * encoder of training and serving), each encoded feature is summarised exactly (every value: the dataset
 * version is bounded by {@link DriftCheckConfig#maxRows()}), and the model's {@link DriftRule} judges each
 * feature against the reference profile's sketch of it (with the model's {@link MonitoringSettings}), with the same tests, effect sizes, Benjamini–Hochberg
 * correction and dataset drift share as the windows of served traffic. A categorical value the reference never
 * held counts as a category of its own (so χ² and Jensen–Shannon see it) and is reported per feature.
 */
@ApplicationScoped
public class DriftChecks {

    @Inject
    ModelRegistry registry;

    @Inject
    ReferenceProfiles references;

    @Inject
    DatasetReader datasets;

    @Inject
    DriftCheckConfig config;

    @Inject
    MonitoringSettings settings;

    /**
     * @throws ProblemException 404 unknown model, dataset or dataset version; 409 no production version or no
     *     reference for it; 413 a version above the row limit; 422 a dataset whose columns do not fit the model
     */
    public DriftCheck check(String model, String dataset, Integer asked) {
        if (!registry.hasVersions(model)) {
            throw ProblemException.notFound("model '" + model + "' has no versions");
        }
        int version = registry.aliasVersion(model, ModelRegistry.PRODUCTION)
                .orElseThrow(() -> ProblemException.conflict(
                        "no-production-version", "model '" + model + "' has no production version to compare with"));
        ReferenceProfile reference = references
                .find(model, version)
                .orElseThrow(() -> ProblemException.conflict(
                        "no-reference",
                        "version " + version + " of model '" + model + "' was trained before reference profiles"));
        DatasetVersionRef ref = (asked == null ? datasets.latest(dataset) : datasets.version(dataset, asked))
                .orElseThrow(() -> ProblemException.notFound(
                        "dataset '" + dataset + "' has no version" + (asked == null ? "" : " " + asked)));
        int datasetVersion = ref.version();
        if (ref.rows() > config.maxRows()) {
            throw new ProblemException(Problem.of(
                            413,
                            "dataset-version-too-large",
                            "Content too large",
                            "dataset '" + dataset + "' version " + datasetVersion + " has " + ref.rows()
                                    + " rows; a drift check reads at most " + config.maxRows())
                    .with("maxRows", config.maxRows()));
        }
        ModelVersionView production = registry.version(model, version);
        FeatureTransform transform = production.transform();
        FeatureTransform.RowEncoder encoder;
        try {
            encoder = transform.bind(ref.schema());
        } catch (IllegalArgumentException e) {
            throw ProblemException.unprocessable("dataset-does-not-fit-model", e.getMessage());
        }
        Profile profile = profile(transform, encoder, ref, dataset, datasetVersion);

        List<FeatureComparison> comparisons = new ArrayList<>();
        List<DriftCheck.UnseenCategories> unseen = new ArrayList<>();
        for (int f = 0; f < reference.features().size(); f++) {
            ReferenceProfile.FeatureReference r = reference.features().get(f);
            if (r.kind() == FeatureKind.NUMERIC) {
                double[] values = Arrays.copyOf(profile.numbers[f], profile.counts[f]);
                comparisons.add(new FeatureComparison(
                        r.feature(),
                        SketchSummaries.numeric(r.quantiles()),
                        values.length == 0 ? SketchSummaries.emptyNumeric() : NumericSummary.exact(values)));
            } else {
                comparisons.add(new FeatureComparison(
                        r.feature(),
                        SketchSummaries.categorical(r.categories()),
                        CategoricalSummary.ofCounts(profile.categories[f])));
                if (profile.unseen[f] > 0) {
                    unseen.add(new DriftCheck.UnseenCategories(r.feature(), profile.unseen[f]));
                }
            }
        }
        DatasetDriftVerdict verdict = settings.rule(model).judge(comparisons);
        return new DriftCheck(model, version, dataset, datasetVersion, ref.rows(), verdict, unseen);
    }

    /** Every encoded feature's non-missing values (numeric) or category counts (categorical). */
    private static final class Profile {
        final double[][] numbers;
        final int[] counts;
        final Map<String, Long>[] categories;
        final long[] unseen;

        @SuppressWarnings("unchecked")
        Profile(int width) {
            numbers = new double[width][];
            counts = new int[width];
            categories = new Map[width];
            unseen = new long[width];
        }
    }

    private Profile profile(
            FeatureTransform transform,
            FeatureTransform.RowEncoder encoder,
            DatasetVersionRef ref,
            String dataset,
            int datasetVersion) {
        int width = transform.width();
        Profile p = new Profile(width);
        // which input each feature belongs to, and that input's column in the dataset (for unseen categories)
        FeatureInput[] inputOf = new FeatureInput[width];
        int[] columnOf = new int[width];
        int f = 0;
        for (FeatureInput input : transform.inputs()) {
            for (int part = 0; part < input.width(); part++, f++) {
                inputOf[f] = input;
                columnOf[f] = ref.schema().indexOf(input.column());
                if (input.kind() == io.tenantml.feature.FeatureKind.CATEGORICAL) {
                    p.categories[f] = new TreeMap<>();
                } else {
                    p.numbers[f] = new double[(int) Math.min(ref.rows(), Integer.MAX_VALUE - 8)];
                }
            }
        }
        float[] row = new float[width];
        try (DatasetReader.RowCursor cursor = datasets.open(dataset, datasetVersion)) {
            while (cursor.hasNext()) {
                DatasetRow r = cursor.next();
                encoder.encode(r.values(), row, 0);
                for (int i = 0; i < width; i++) {
                    float v = row[i];
                    if (p.categories[i] != null) {
                        String category;
                        if (!Float.isNaN(v)) {
                            category = inputOf[i].categories().get((int) v);
                        } else {
                            Object raw = r.values()[columnOf[i]];
                            if (raw == null) {
                                continue; // missing
                            }
                            category = raw.toString(); // a category the training rows never held
                            p.unseen[i]++;
                        }
                        p.categories[i].merge(category, 1L, Long::sum);
                    } else if (!Float.isNaN(v) && p.counts[i] < p.numbers[i].length) {
                        p.numbers[i][p.counts[i]++] = v;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
