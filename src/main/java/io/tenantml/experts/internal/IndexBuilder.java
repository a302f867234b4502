package io.tenantml.experts.internal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.dataset.DatasetReader;
import io.tenantml.dataset.DatasetRow;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.dataset.DatasetVersionRef;
import io.tenantml.experts.BuildEvaluation;
import io.tenantml.experts.BuildPhase;
import io.tenantml.experts.BuildProvenance;
import io.tenantml.experts.BuildService;
import io.tenantml.experts.ExpertsConfig;
import io.tenantml.experts.RankingSettings;
import io.tenantml.experts.RecommenderService;
import io.tenantml.experts.RecommenderSpec;
import io.tenantml.scheduling.RunContext;
import io.tenantml.scheduling.RunFailure;
import io.tenantml.scheduling.RunHandler;
import io.tenantml.scheduling.RunKind;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.StoredBlob;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.usage.Meter;
import io.tenantml.usage.Meters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.Version;
import org.jboss.logging.Logger;

/**
 * The run handler of index builds ({@link RunKind#INDEX_BUILD}): read the dataset version, embed (only texts the
 * tenant's cache lacks), evaluate on the temporal holdout with both baselines and train the re-ranker, write and
 * store the new generation (SHA-256), gate it against the current one, and make it current in the commit that
 * records the outcome and the run's SUCCEEDED ({@link RunContext#succeed}). The generation that was current
 * answers until that commit; its files are deleted after it, and every node closes its open copy once the last
 * search using it is done. The ledger owns the lifecycle (attempts, progress, safe errors, fair slots, the redo
 * after a node died); the build row holds what the run produced. A redone attempt starts over: generation files
 * are keyed by the build id (rewritten, never a second generation) and the embedding cache keeps what the dead
 * attempt embedded.
 */
@ApplicationScoped
public class IndexBuilder implements RunHandler {

    private static final Logger LOG = Logger.getLogger(IndexBuilder.class);
    private static final long PROGRESS_INTERVAL_NANOS = 1_000_000_000L;

    @Inject
    TenantContext tenantContext;

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
    ClusterEvents cluster;

    @Inject
    Meters usage;

    @Inject
    Clock clock;

    @Override
    public RunKind kind() {
        return RunKind.INDEX_BUILD;
    }

    /** What a started attempt works on. */
    private record Claim(UUID build, String recommender, String dataset, int datasetVersion, int attempt) {}

    /** What the attempt did, for metering whatever its outcome. */
    private static final class Work {
        final long startedNanos = System.nanoTime();
        int embedded;

        double wallSeconds() {
            return (System.nanoTime() - startedNanos) / 1e9;
        }
    }

    @Override
    public void run(RunContext run) {
        Claim claim = QuarkusTransaction.requiringNew().call(() -> {
            BuildEntity b = BuildEntity.<BuildEntity>find("id", run.id()).firstResult();
            if (b == null) {
                throw new RunFailure("build-missing", "the build's record is gone (its recommender was deleted)");
            }
            b.phase = BuildPhase.READING;
            return new Claim(b.id, b.recommender, b.dataset, b.datasetVersion, run.attempt());
        });
        TenantId tenant = tenantContext.require();
        Work work = new Work();
        try {
            build(claim, run, work);
        } finally {
            meterAttempt(tenant, claim, work);
        }
    }

    /** A cron fire: queue a build on the latest dataset version if it is new, else record a skipped run. */
    public void scheduled(String recommender) {
        builds.startScheduled(recommender);
    }

    private void build(Claim claim, RunContext run, Work work) {
        TenantId tenant = tenantContext.require();
        UUID id = claim.build();
        try {
            RecommenderSpec spec = recommenders
                    .spec(claim.recommender())
                    .orElseThrow(() -> new RunFailure(
                            "recommender-deleted", "recommender '" + claim.recommender() + "' was deleted"));
            if (!spec.dataset().equals(claim.dataset())) {
                throw new RunFailure(
                        "spec-changed",
                        "the recommender now reads dataset '" + spec.dataset() + "', not '" + claim.dataset()
                                + "' as when this build was queued; start a new build");
            }
            DatasetReader reader = datasets.get();
            DatasetVersionRef version = reader.version(claim.dataset(), claim.datasetVersion())
                    .orElseThrow(() -> new RunFailure(
                            "dataset-version-missing",
                            "dataset '" + claim.dataset() + "' has no version " + claim.datasetVersion()));
            List<ExpertDoc> docs = readDocs(reader, spec, version);
            if (docs.size() < 20) {
                throw new RunFailure(
                        "too-few-answers",
                        "only " + docs.size() + " usable answers (rows with text, expert and time); a build needs at"
                                + " least 20");
            }
            Throttled progress = new Throttled(id, run);
            progress.at(0.05, BuildPhase.EMBEDDING, true);
            List<String> texts = docs.stream().map(ExpertDoc::text).toList();
            Embeddings.Embedded embedded = embeddings.embed(
                    tenant, texts, done -> progress.at(0.05 + 0.55 * done / texts.size(), BuildPhase.EMBEDDING, false));
            work.embedded = embedded.computed();
            RankingSettings settings = RankingSettings.DEFAULTS.withHalfLifeDays(spec.halfLifeDays());
            progress.at(0.6, BuildPhase.EVALUATING, true);
            Evaluator.Result result = Evaluator.evaluate(
                    docs,
                    embedded.vectors(),
                    spec.holdout(),
                    settings,
                    spec.trainsReranker(),
                    config.seed(),
                    config.rerankerThreads(),
                    p -> progress.at(0.6 + 0.3 * p, BuildPhase.EVALUATING, false));
            BuildEvaluation evaluation = result.evaluation();
            progress.at(0.9, BuildPhase.INDEXING, true);
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
            if (run.cancelled()) {
                throw new CancellationException("build " + id + " cancelled");
            }
            Outcome outcome = new Outcome(
                    docs.size(),
                    embedded.computed(),
                    index.sha256(),
                    index.bytes(),
                    rerankerSha,
                    evaluation,
                    provenance,
                    accepted,
                    reason);
            run.succeed(() -> {
                finish(id, outcome);
                // billed in the transaction that records the success (see TrainingRunner): no succeeded build goes
                // unbilled; the record in run's finally then finds its ids taken
                recordAttempt(tenant, claim, work);
            });
            if (accepted) {
                builds.deleteRetiredFiles(claim.recommender());
            }
        } catch (RunFailure | CancellationException e) {
            throw e;
        } catch (Exception e) {
            // the ledger logs it under an incident id; the tenant sees the id, never the exception's text
            throw new IllegalStateException("build " + id + " of " + claim.recommender() + " failed", e);
        }
    }

    /** How a build ended. {@code accepted}: its generation becomes current in the same commit. */
    private record Outcome(
            int rowsIndexed,
            int rowsEmbedded,
            String indexSha256,
            long indexBytes,
            String rerankerSha256,
            BuildEvaluation evaluation,
            BuildProvenance provenance,
            boolean accepted,
            String gateReason) {}

    /** Runs in the transaction that ends the run SUCCEEDED: the outcome and the switch commit with it. */
    private void finish(UUID id, Outcome o) {
        BuildEntity b = BuildEntity.<BuildEntity>find("id", id).firstResult();
        b.rowsIndexed = o.rowsIndexed();
        b.rowsEmbedded = o.rowsEmbedded();
        b.indexSha256 = o.indexSha256();
        b.indexBytes = o.indexBytes();
        b.rerankerSha256 = o.rerankerSha256();
        b.evaluation = o.evaluation();
        b.provenance = o.provenance();
        b.gateReason = o.gateReason();
        b.accepted = o.accepted();
        b.phase = BuildPhase.DONE;
        if (o.accepted()) {
            RecommenderEntity r = RecommenderEntity.<RecommenderEntity>find("name", b.recommender)
                    .withLock(LockModeType.PESSIMISTIC_WRITE)
                    .firstResult();
            if (r == null) {
                throw new RunFailure("recommender-deleted", "recommender '" + b.recommender + "' was deleted");
            }
            UUID previous = r.currentBuild;
            r.currentBuild = b.id;
            if (previous != null) {
                cluster.publish(OpenIndexes.GENERATION_RETIRED, b.tenantId + "|" + b.recommender + "|" + previous);
            }
        }
    }

    /**
     * Every attempt is metered once (its own idempotency ids), whatever its outcome: a failed or redone attempt used
     * the machine too (an attempt on a node that died is not: its node never got to record it). CPU seconds are
     * those allotted, as for trainings: the attempt's wall time times the threads it may hold (the embedding pool
     * or the re-ranker's XGBoost threads, whichever is larger; native threads are outside the JVM's per-thread CPU
     * accounting). Texts embedded are those the model computed (cache misses), not those read from the cache.
     */
    private void meterAttempt(TenantId tenant, Claim claim, Work work) {
        try {
            recordAttempt(tenant, claim, work);
        } catch (RuntimeException e) {
            LOG.warnf(e, "usage of build %s not recorded", claim.build());
        }
    }

    private void recordAttempt(TenantId tenant, Claim claim, Work work) {
        Map<String, String> dimensions = Map.of("recommender", claim.recommender());
        String key = "index-build:" + claim.build() + ":" + claim.attempt();
        int threads = Math.max(config.embedThreads(), config.rerankerThreads());
        double wallSeconds = work.wallSeconds();
        usage.recordCompute(
                tenant,
                Meter.INDEX_BUILD_WALL_SECONDS,
                Meter.INDEX_BUILD_CPU_SECONDS,
                dimensions,
                wallSeconds,
                threads,
                key);
        if (work.embedded > 0) {
            usage.record(
                    tenant,
                    Meter.EMBEDDING_CALLS,
                    Map.of("recommender", claim.recommender(), "at", "build"),
                    work.embedded,
                    key + ":embed");
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

    /** Progress written at most once a second (phase changes always); cancellation polled with it. */
    private final class Throttled {
        private final UUID id;
        private final RunContext run;
        private long last;
        private BuildPhase phase;

        Throttled(UUID id, RunContext run) {
            this.id = id;
            this.run = run;
        }

        void at(double fraction, BuildPhase phase, boolean force) {
            long now = System.nanoTime();
            if (!force && now - last < PROGRESS_INTERVAL_NANOS) {
                return;
            }
            last = now;
            if (run.cancelled()) {
                throw new CancellationException("build " + id + " cancelled");
            }
            run.progress(Math.max(0, Math.min(1, fraction)));
            if (phase != this.phase) {
                this.phase = phase;
                QuarkusTransaction.requiringNew()
                        .run(() -> BuildEntity.<BuildEntity>find("id", id)
                                .firstResultOptional()
                                .ifPresent(b -> b.phase = phase));
            }
        }
    }
}
