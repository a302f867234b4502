package io.tenantml.experts.internal;

import io.tenantml.dataset.DatasetReader;
import io.tenantml.dataset.DatasetRow;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.dataset.DatasetVersionRef;
import io.tenantml.experts.BuildEvaluation;
import io.tenantml.experts.BuildProvenance;
import io.tenantml.experts.BuildRunner;
import io.tenantml.experts.BuildService;
import io.tenantml.experts.ExpertsConfig;
import io.tenantml.experts.RankingSettings;
import io.tenantml.experts.RecommenderService;
import io.tenantml.experts.RecommenderSpec;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.StoredBlob;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.Version;
import org.jboss.logging.Logger;

/**
 * Runs one build inside its tenant's scope: read the dataset version, embed (only texts the tenant's cache
 * lacks), evaluate on the temporal holdout with both baselines and train the re-ranker, write and store the
 * new generation (SHA-256), gate it against the current one, and make it current in the commit that
 * records the outcome. The generation that was current answers until that commit; its files are deleted
 * after it, and every node closes its open copy once the last search using it is done.
 */
@ApplicationScoped
public class IndexBuilder {

    private static final Logger LOG = Logger.getLogger(IndexBuilder.class);
    private static final long PROGRESS_INTERVAL_NANOS = 1_000_000_000L;

    @Inject
    TenantContext tenantContext;

    @Inject
    BuildRunner runner;

    @Inject
    BuildService builds;

    @Inject
    RecommenderService recommenders;

    @Inject
    Instance<DatasetReader> datasets;

    @Inject
    Embeddings embeddings;

    @Inject
    BlobStore blobs;

    @Inject
    ExpertsConfig config;

    @Inject
    Clock clock;

    private Semaphore slots;

    private synchronized Semaphore slots() {
        if (slots == null) {
            slots = new Semaphore(config.maxConcurrentBuilds(), true);
        }
        return slots;
    }

    public void run(UUID build, boolean recovering) {
        Semaphore s = slots();
        s.acquireUninterruptibly();
        try {
            runner.start(build, recovering).ifPresent(this::build);
        } finally {
            s.release();
        }
    }

    /** A cron fire: build on the latest dataset version if it is new, else record a skipped run. */
    public void scheduled(String recommender) {
        Optional<RecommenderSpec> spec = recommenders.spec(recommender);
        if (spec.isEmpty()) {
            return;
        }
        String dataset = spec.get().dataset();
        Optional<DatasetVersionRef> latest = datasets.get().latest(dataset);
        if (latest.isEmpty()) {
            builds.recordSkipped(recommender, dataset, null, "dataset '" + dataset + "' has no version yet");
            return;
        }
        Optional<Integer> built = builds.lastBuiltVersion(recommender);
        if (built.isPresent() && built.get() >= latest.get().version()) {
            builds.recordSkipped(
                    recommender,
                    dataset,
                    latest.get().version(),
                    "no new dataset version since version " + built.get() + " was indexed");
            return;
        }
        try {
            builds.start(recommender, io.tenantml.experts.BuildTrigger.SCHEDULE);
        } catch (ProblemException e) {
            builds.recordSkipped(recommender, dataset, latest.get().version(), e.getMessage());
        }
    }

    private void build(BuildRunner.Claim claim) {
        TenantId tenant = tenantContext.require();
        UUID id = claim.build();
        try {
            RecommenderSpec spec = recommenders
                    .spec(claim.recommender())
                    .orElseThrow(
                            () -> new IllegalStateException("recommender '" + claim.recommender() + "' was deleted"));
            DatasetReader reader = datasets.get();
            DatasetVersionRef version = reader.version(claim.dataset(), claim.datasetVersion())
                    .orElseThrow(() -> new IllegalStateException(
                            "dataset '" + claim.dataset() + "' has no version " + claim.datasetVersion()));
            List<ExpertDoc> docs = readDocs(reader, spec, version);
            if (docs.size() < 20) {
                throw new IllegalStateException("only " + docs.size() + " usable answers; a build needs at least 20");
            }
            Throttled progress = new Throttled(id);
            progress.at(0.05, "embedding", true);
            List<String> texts = docs.stream().map(ExpertDoc::text).toList();
            Embeddings.Embedded embedded = embeddings.embed(
                    tenant, texts, done -> progress.at(0.05 + 0.55 * done / texts.size(), "embedding", false));
            RankingSettings settings = RankingSettings.DEFAULTS.withHalfLifeDays(spec.halfLifeDays());
            progress.at(0.6, "evaluating", true);
            Evaluator.Result result = Evaluator.evaluate(
                    docs,
                    embedded.vectors(),
                    spec.holdout(),
                    settings,
                    spec.trainsReranker(),
                    config.seed(),
                    config.rerankerThreads(),
                    p -> progress.at(0.6 + 0.3 * p, "evaluating", false));
            BuildEvaluation evaluation = result.evaluation();
            progress.at(0.9, "indexing", true);
            ByteBuffersDirectory dir = new ByteBuffersDirectory();
            ExpertIndex.write(docs, embedded.vectors(), dir);
            StoredBlob index = IndexFiles.store(blobs, tenant, claim.recommender(), id, dir);
            String rerankerSha = null;
            if (result.reranker() != null) {
                try (Reranker r = result.reranker()) {
                    rerankerSha = blobs.put(
                                    tenant,
                                    IndexFiles.rerankerKey(claim.recommender(), id),
                                    new ByteArrayInputStream(r.bytes()))
                            .sha256();
                }
            }
            Optional<BuildEvaluation> current = builds.currentEvaluation(claim.recommender());
            boolean accepted = true;
            String reason = "first generation";
            if (current.isPresent()) {
                double now = current.get().servedMetrics().mrrAt10();
                double next = evaluation.servedMetrics().mrrAt10();
                accepted = next >= now - spec.tolerance();
                reason = String.format(
                        "MRR@10 %.4f vs current %.4f (tolerance %.3f): %s",
                        next, now, spec.tolerance(), accepted ? "made current" : "kept, not made current");
            }
            BuildProvenance provenance = new BuildProvenance(
                    tenant.value(),
                    claim.recommender(),
                    claim.dataset(),
                    version.version(),
                    version.sha256(),
                    spec,
                    settings,
                    embeddings.model(),
                    config.seed(),
                    Version.LATEST.toString(),
                    System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                    clock.instant());
            runner.finish(
                    id,
                    new BuildRunner.Outcome(
                            docs.size(),
                            embedded.computed(),
                            index.sha256(),
                            index.bytes(),
                            rerankerSha,
                            evaluation,
                            provenance,
                            accepted,
                            reason));
            if (accepted) {
                builds.deleteRetiredFiles(claim.recommender());
            }
        } catch (Exception e) {
            LOG.warnf(e, "build %s of %s failed", id, claim.recommender());
            runner.fail(id, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /** The version's answers, oldest first (ties keep dataset order); rows without text, expert or time skipped. */
    static List<ExpertDoc> readDocs(DatasetReader reader, RecommenderSpec spec, DatasetVersionRef version)
            throws Exception {
        DatasetSchema schema = version.schema();
        int[] text = spec.text().stream().mapToInt(schema::indexOf).toArray();
        int expert = schema.indexOf(spec.expert());
        int time = schema.indexOf(spec.time());
        int tags = spec.tags() == null ? -1 : schema.indexOf(spec.tags());
        String idColumn = spec.id() != null ? spec.id() : schema.primaryKey();
        int idIndex = idColumn == null ? -1 : schema.indexOf(idColumn);
        List<ExpertDoc> docs = new ArrayList<>();
        try (DatasetReader.RowCursor rows = reader.open(version.dataset(), version.version())) {
            while (rows.hasNext()) {
                DatasetRow row = rows.next();
                Object[] v = row.values();
                if (v[expert] == null || v[time] == null) {
                    continue;
                }
                StringBuilder sb = new StringBuilder();
                for (int t : text) {
                    if (v[t] != null && !v[t].toString().isBlank()) {
                        if (!sb.isEmpty()) {
                            sb.append("\n\n");
                        }
                        sb.append(v[t]);
                    }
                }
                if (sb.isEmpty()) {
                    continue;
                }
                List<String> tagList = tags < 0 || v[tags] == null
                        ? List.of()
                        : Arrays.stream(v[tags].toString().split("[;,]"))
                                .map(String::trim)
                                .filter(s -> !s.isEmpty())
                                .toList();
                String docId = idIndex >= 0 && v[idIndex] != null ? v[idIndex].toString() : "line-" + row.line();
                docs.add(new ExpertDoc(
                        docId, sb.toString(), v[expert].toString(), ((Instant) v[time]).toEpochMilli(), tagList));
            }
        }
        docs.sort(Comparator.comparingLong(ExpertDoc::time)); // stable: ties keep dataset order
        return docs;
    }

    /** Progress written at most once a second (phase changes always). */
    private final class Throttled {
        private final UUID id;
        private long last;

        Throttled(UUID id) {
            this.id = id;
        }

        void at(double fraction, String phase, boolean force) {
            long now = System.nanoTime();
            if (!force && now - last < PROGRESS_INTERVAL_NANOS) {
                return;
            }
            last = now;
            runner.progress(id, fraction, phase);
        }
    }
}
