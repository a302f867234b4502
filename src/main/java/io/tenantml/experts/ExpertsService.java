package io.tenantml.experts;

import io.tenantml.experts.internal.BuildEntity;
import io.tenantml.experts.internal.DailyCap;
import io.tenantml.experts.internal.Embeddings;
import io.tenantml.experts.internal.Explainer;
import io.tenantml.experts.internal.Generation;
import io.tenantml.experts.internal.OpenIndexes;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.cache.ModelCache;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.usage.Meter;
import io.tenantml.usage.Meters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recommending experts for a question from the recommender's current generation, opened on this node on first
 * use (fetched from the blob store and verified) and kept in the bounded cache of open generations.
 */
@ApplicationScoped
public class ExpertsService {

    public static final int MAX_K = 100;
    public static final int MAX_TEXT_CHARS = 20_000;
    public static final int MAX_TAGS = 50;
    /** Experts one question may exclude: the asker and a team on leave, not a roster. */
    public static final int MAX_EXCLUDE = 1_000;

    @Inject
    TenantContext tenantContext;

    @Inject
    RecommenderService recommenders;

    @Inject
    BuildService builds;

    @Inject
    OpenIndexes indexes;

    @Inject
    Embeddings embeddings;

    @Inject
    DailyCap dailyCap;

    @Inject
    Meters usage;

    @Inject
    Clock clock;

    public Recommendation recommend(String recommender, RecommendRequest request) {
        if (request == null || request.text() == null || request.text().isBlank()) {
            throw invalid("text", "text is required: the question to find experts for");
        }
        if (!Embedder.hasVisibleText(request.text())) {
            throw invalid("text", "text has no letter, digit, punctuation or symbol: nothing to embed or search for");
        }
        if (request.text().length() > MAX_TEXT_CHARS) {
            throw invalid("text", "text has " + request.text().length() + " characters; at most " + MAX_TEXT_CHARS);
        }
        int k = request.k() == null ? 5 : request.k();
        if (k < 1 || k > MAX_K) {
            throw invalid("k", "k must be between 1 and " + MAX_K + ", was " + k);
        }
        List<String> tags = request.tags() == null ? List.of() : request.tags();
        if (tags.size() > MAX_TAGS) {
            throw invalid("tags", "tags has " + tags.size() + " entries; at most " + MAX_TAGS);
        }
        requireNoBlank("tags", tags);
        List<String> excluded = request.exclude() == null ? List.of() : request.exclude();
        if (excluded.size() > MAX_EXCLUDE) {
            throw invalid("exclude", "exclude has " + excluded.size() + " entries; at most " + MAX_EXCLUDE);
        }
        requireNoBlank("exclude", excluded);
        Set<String> exclude = new HashSet<>(excluded);
        RecommenderSpec spec = recommenders
                .spec(recommender)
                .orElseThrow(() -> ProblemException.notFound("no recommender '" + recommender + "'"));
        TenantId tenant = tenantContext.require();
        BuildEntity current = currentOrConflict(recommender); // before embedding: a 409 runs no model
        float[] vector = embeddings.query(request.text());
        usage.add(tenant, Meter.EMBEDDING_CALLS, Map.of("recommender", recommender, "at", "query"), 1);
        LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<String, Integer> given = spec.dailyCap() == null ? Map.of() : dailyCap.given(tenant, recommender, day);
        Recommendation recommendation;
        try (ModelCache<OpenIndexes.Key, Generation>.Lease lease = open(tenant, recommender, current)) {
            recommendation = Explainer.recommend(
                    lease.value(),
                    request.text(),
                    vector,
                    tags,
                    k,
                    exclude,
                    expert -> spec.dailyCap() == null || given.getOrDefault(expert, 0) < spec.dailyCap(),
                    Boolean.TRUE.equals(request.explain()));
        }
        usage.add(tenant, Meter.RECOMMEND_QUERIES, Map.of("recommender", recommender), 1);
        if (spec.dailyCap() != null && !recommendation.experts().isEmpty()) {
            dailyCap.count(
                    tenant,
                    recommender,
                    day,
                    recommendation.experts().stream()
                            .map(Recommendation.Expert::expert)
                            .toList());
        }
        return recommendation;
    }

    private ModelCache<OpenIndexes.Key, Generation>.Lease open(TenantId tenant, String recommender, BuildEntity build) {
        return indexes.acquire(
                new OpenIndexes.Key(tenant, recommender, build.id),
                build.indexSha256,
                build.rerankerSha256,
                build.evaluation == null ? RankerKind.UNLEARNED : build.evaluation.served(),
                build.provenance == null ? RankingSettings.DEFAULTS : build.provenance.settings());
    }

    private BuildEntity currentOrConflict(String recommender) {
        return builds.current(recommender)
                .orElseThrow(() -> new ProblemException(Problem.of(
                        409,
                        "no-current-generation",
                        "Conflict",
                        "recommender '" + recommender + "' has no index yet: POST .../builds and wait for it")));
    }

    /** A list of names in which every entry names something: 400 naming the first null or blank one. */
    private static void requireNoBlank(String field, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null || values.get(i).isBlank()) {
                throw invalid(field + "[" + i + "]", field + "[" + i + "] is blank");
            }
        }
    }

    private static ProblemException invalid(String field, String detail) {
        return ProblemException.badField("invalid-recommend-request", field, detail);
    }
}
