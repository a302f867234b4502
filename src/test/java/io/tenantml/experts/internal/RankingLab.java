package io.tenantml.experts.internal;

import io.tenantml.experts.DevSet;
import io.tenantml.experts.RankingMetrics;
import io.tenantml.experts.RankingSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fast loop for working on the ranking, on the training part only (never the holdout): one index of the dev
 * set's first 90% (the build's training part), the vectors from {@link DevSet}'s cache, and the validation
 * questions of {@link RankingTuning} (training answers from 20% on, every third, each asked of the index frozen
 * at the start of its holdout-sized block; the last block is reported alone). Each question is ranked once with
 * the default settings; the candidates' model scores are kept, and the fusions and model-1 settings below are
 * scored from them in memory, so one variant costs milliseconds rather than a minute. Tagged benchmark: run on
 * purpose, {@code -Dtest=RankingLab -Dtenantml.test.excluded-groups=none}. Options: {@code -Dlab.passes=rrfK=20,...}
 * ranks again per retrieval setting; {@code -Dlab.inner=0,0.6} runs the whole build procedure (re-ranker included)
 * on the training part with its last block held out, per candidate-model weight; {@code -Dlab.evaluate=...} and
 * {@code -Dlab.holdout=true} read the real holdout, for reports only, never for choosing.
 */
@Tag("benchmark")
class RankingLab {

    /** One validation question's candidates (the pool of the default settings) and its author. */
    record Asked(
            int row, ExpertDoc question, long cutoff, boolean lastBlock, List<ExpertRanker.Candidate> candidates) {}

    @Test
    void explore() throws Exception {
        DevSet dev = DevSet.get();
        int n = dev.docs.size();
        int split = n - (int) Math.ceil(n * 0.1);
        int block = n - split;
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        ExpertIndex.write(dev.docs.subList(0, split), dev.vectors.subList(0, split), dir);
        RankingSettings settings = RankingSettings.DEFAULTS;
        try (ExpertIndex index = ExpertIndex.open(dir)) {
            long started = System.nanoTime();
            List<Asked> asked = new ArrayList<>();
            for (int i = (int) (split * 0.2); i < split; i += 3) {
                int start = Evaluator.blockStart(i, split, block);
                if (start < 1) {
                    continue;
                }
                ExpertDoc q = dev.docs.get(i);
                long cutoff = dev.docs.get(start - 1).time() + 1;
                Integer author = index.expertOrdinal.get(q.expert());
                if (author == null || index.answersAtOrBefore(author, cutoff - 1) == 0) {
                    continue;
                }
                ExpertRanker.Ranking r = ExpertRanker.rank(
                        index, new ExpertRanker.Question(q.text(), dev.vectors.get(i), q.tags(), cutoff), settings);
                asked.add(new Asked(i, q, cutoff, start == split - block, r.candidates()));
            }
            System.out.printf("LAB %d questions ranked in %.1f s%n", asked.size(), (System.nanoTime() - started) / 1e9);
            if (!System.getProperty("lab.inner", "").isBlank()) {
                // the whole build procedure (re-ranker included) on the training part alone, its last block held
                // out: an inner split that says what the holdout figures would say, without reading them
                double fraction = (double) block / split;
                for (String w : System.getProperty("lab.inner").split(",")) {
                    Evaluator.Result result = Evaluator.evaluate(
                            dev.docs.subList(0, split),
                            dev.vectors.subList(0, split),
                            fraction,
                            RankingSettings.DEFAULTS.withCandidateModelWeight(Double.parseDouble(w)),
                            true,
                            42,
                            2,
                            x -> {});
                    System.out.printf("LAB inner split weight=%s: %s%n", w, result.evaluation());
                    if (result.reranker() != null) {
                        result.reranker().close();
                    }
                }
                return;
            }
            if (!System.getProperty("lab.evaluate", "").isBlank()) {
                // the build's own evaluation (holdout, re-ranker trained on the training part) per weight of the
                // candidate model: for the report, each figure read once
                for (String w : System.getProperty("lab.evaluate").split(",")) {
                    Evaluator.Result result = Evaluator.evaluate(
                            dev.docs,
                            dev.vectors,
                            0.1,
                            RankingSettings.DEFAULTS.withCandidateModelWeight(Double.parseDouble(w)),
                            true,
                            42,
                            2,
                            x -> {});
                    System.out.printf("LAB evaluate weight=%s: %s%n", w, result.evaluation());
                    if (result.reranker() != null) {
                        result.reranker().close();
                    }
                }
                return;
            }
            if (Boolean.getBoolean("lab.holdout")) {
                // read for the report only (explaining a holdout figure, not choosing a setting): the holdout
                // split by its most frequent author, whose share there (a third) is far above the training part's
                List<Asked> held = new ArrayList<>();
                for (int i = split; i < n; i++) {
                    ExpertDoc q = dev.docs.get(i);
                    if (!index.knows(q.expert())) {
                        continue;
                    }
                    ExpertRanker.Ranking r = ExpertRanker.rank(
                            index, new ExpertRanker.Question(q.text(), dev.vectors.get(i), q.tags(), null), settings);
                    held.add(new Asked(i, q, index.newest() + 1, true, r.candidates()));
                }
                String top = "Julien Pivotto";
                List<Asked> his = held.stream()
                        .filter(a -> a.question().expert().equals(top))
                        .toList();
                List<Asked> others = held.stream()
                        .filter(a -> !a.question().expert().equals(top))
                        .toList();
                for (var e : java.util.Map.of("holdout all", held, "holdout " + top, his, "holdout others", others)
                        .entrySet()) {
                    report(e.getKey() + ": document model", e.getValue(), c -> c.documentModel);
                    report(e.getKey() + ": candidate model", e.getValue(), c -> c.candidateModel);
                    report(e.getKey() + ": fused", e.getValue(), c -> c.unlearned);
                }
                if (!Boolean.getBoolean("lab.holdout.mixes")) {
                    return;
                }
                asked.clear();
                asked.addAll(held);
            }
            // what the candidate model adds to a served question (as of the newest answer, its base cached)
            long t0 = System.nanoTime();
            int reps = 0;
            for (Asked a : asked) {
                index.candidateModel.scores(
                        a.question().text(), a.question().tags(), index.newest(), CandidateModel.Params.DEFAULTS);
                reps++;
            }
            System.out.printf(
                    "LAB candidate model per served question: %.3f ms%n", (System.nanoTime() - t0) / 1e6 / reps);
            report("document model alone (main)", asked, c -> c.documentModel);
            report("candidate model alone", asked, c -> c.candidateModel);
            for (int k : new int[] {20}) {
                for (double w : new double[] {0.3, 0.6}) {
                    report(
                            "rrf k=" + k + " w=" + w,
                            asked,
                            c -> (1 - w) / (k + c.documentModelRank) + w / (k + c.candidateModelRank));
                }
            }
            // scores instead of ranks: a mixture of the two models' posteriors over the question's candidates,
            // the document model normalised to sum 1 and the candidate model's log-likelihood as a softmax
            java.util.Map<ExpertRanker.Candidate, double[]> posterior = new java.util.IdentityHashMap<>();
            for (Asked a : asked) {
                double docSum = 0, best = Double.NEGATIVE_INFINITY;
                for (ExpertRanker.Candidate c : a.candidates()) {
                    docSum += c.documentModel;
                    best = Math.max(best, c.candidateModel);
                }
                for (double tau : new double[] {1, 3, 10}) {
                    double z = 0;
                    for (ExpertRanker.Candidate c : a.candidates()) {
                        z += Math.exp((c.candidateModel - best) / tau);
                    }
                    for (ExpertRanker.Candidate c : a.candidates()) {
                        double[] p = posterior.computeIfAbsent(c, x -> new double[4]);
                        p[0] = docSum > 0 ? c.documentModel / docSum : 0;
                        p[tau == 1 ? 1 : tau == 3 ? 2 : 3] = Math.exp((c.candidateModel - best) / tau) / z;
                    }
                }
            }
            for (int t = 1; t <= 3; t++) {
                int ti = t;
                for (double w : new double[] {0.3, 0.5, 0.7}) {
                    report(
                            "posterior mixture tau#" + t + " w=" + w,
                            asked,
                            c -> (1 - w) * posterior.get(c)[0] + w * posterior.get(c)[ti]);
                }
            }
            // the candidate model's text likelihood under the document model's own priors (recency, the 30-day
            // tag prior) instead of its own 180-day activity prior and tag model, and mixtures of the two
            CandidateModel.Params d0 = CandidateModel.Params.DEFAULTS;
            CandidateModel.Params textOnly =
                    new CandidateModel.Params(d0.mu(), d0.tagMu(), d0.halfLifeDays(), d0.priorHalfLifeDays(), 0, 0);
            CandidateModel.Params priorOnly =
                    new CandidateModel.Params(d0.mu(), d0.tagMu(), d0.halfLifeDays(), d0.priorHalfLifeDays(), 1, 0);
            java.util.Map<ExpertRanker.Candidate, double[]> parts = new java.util.IdentityHashMap<>();
            for (Asked a : asked) {
                double[] text = index.candidateModel.scores(a.question().text(), List.of(), a.cutoff() - 1, textOnly);
                double[] prior = index.candidateModel.scores("", List.of(), a.cutoff() - 1, priorOnly);
                double[] own = index.candidateModel.scores(
                        a.question().text(), a.question().tags(), a.cutoff() - 1, d0);
                for (ExpertRanker.Candidate c : a.candidates()) {
                    double docPriors = Math.log((1 + settings.recencyWeight() * c.recency)
                            * ExpertRanker.tagPrior(c, a.question().tags(), settings));
                    parts.put(c, new double[] {text[c.expert], prior[c.expert], docPriors, own[c.expert]});
                }
            }
            double[][] mixes = {{1, 0, 1}, {1, 0.5, 1}, {1, 1, 1}, {1, 1.5, 1}, {1, 0.5, 2}, {1, 1, 2}};
            for (double[] mix : mixes) {
                ToDoubleFunction<ExpertRanker.Candidate> f =
                        c -> mix[0] * parts.get(c)[0] + mix[1] * parts.get(c)[1] + mix[2] * parts.get(c)[2];
                String label = "text + " + mix[1] + " log prior + " + mix[2] + " log docPriors";
                report(label + " alone", asked, f);
                for (Asked a : asked) {
                    for (ExpertRanker.Candidate c : a.candidates()) {
                        c.candidateModel = f.applyAsDouble(c);
                    }
                    ExpertRanker.fuseModels(new ArrayList<>(a.candidates()), settings.candidateModelWeight());
                }
                report(label + " fused", asked, c -> c.unlearned);
            }
            for (Asked a : asked) {
                for (ExpertRanker.Candidate c : a.candidates()) {
                    c.candidateModel = parts.get(c)[3];
                }
                ExpertRanker.fuseModels(new ArrayList<>(a.candidates()), settings.candidateModelWeight());
            }
            // per-expert profile embeddings: the time-decayed centroid of the expert's answers before the cutoff,
            // scored by cosine with the question and fused as a third expert ranking
            for (double h : new double[] {365}) {
                java.util.Map<Long, float[][]> centroids = new java.util.HashMap<>();
                java.util.Map<ExpertRanker.Candidate, Integer> centroidRank = new java.util.IdentityHashMap<>();
                for (Asked a : asked) {
                    float[][] cen = centroids.computeIfAbsent(a.cutoff(), t -> centroids(index, dev, split, t, h));
                    float[] qv = dev.vectors.get(a.row());
                    List<ExpertRanker.Candidate> byCos = new ArrayList<>(a.candidates());
                    java.util.Map<ExpertRanker.Candidate, Double> cos = new java.util.IdentityHashMap<>();
                    for (ExpertRanker.Candidate c : byCos) {
                        cos.put(c, dot(qv, cen[c.expert]));
                    }
                    byCos.sort(Comparator.comparingDouble((ExpertRanker.Candidate c) -> -cos.get(c))
                            .thenComparing(c -> c.name));
                    for (int i = 0; i < byCos.size(); i++) {
                        centroidRank.put(byCos.get(i), i + 1);
                    }
                }
                report("centroid h=" + h + " alone", asked, c -> -centroidRank.get(c));
                for (double w2 : new double[] {0.2}) {
                    for (double w : new double[] {0.4}) {
                        int k = ExpertRanker.MODEL_FUSION_K;
                        report(
                                "centroid h=" + h + " w2=" + w2 + " w=" + w,
                                asked,
                                c -> (1 - w - w2) / (k + c.documentModelRank)
                                        + w / (k + c.candidateModelRank)
                                        + w2 / (k + centroidRank.get(c)));
                    }
                }
            }
            // settings that change retrieval (list depth, document-level RRF constant, answers summed per expert)
            // need the questions ranked again: a full pass each, so only on request (-Dlab.passes=rrf60,...)
            for (String pass : System.getProperty("lab.passes", "").split(",")) {
                if (pass.isBlank()) {
                    continue;
                }
                String[] kv = pass.split("=");
                RankingSettings base = settings;
                int v = Integer.parseInt(kv[1]);
                RankingSettings ps = new RankingSettings(
                        kv[0].equals("candidates") ? v : base.candidates(),
                        kv[0].equals("rrfK") ? v : base.rrfK(),
                        kv[0].equals("docs") ? v : base.docsPerExpert(),
                        base.halfLifeDays(),
                        base.activityDays(),
                        base.recencyWeight(),
                        base.activityWeight(),
                        base.tagBoost(),
                        kv[0].equals("pool") ? v : base.priorCandidates(),
                        base.tagHalfLifeDays(),
                        base.tagActivityWeight(),
                        base.candidateModelWeight());
                List<Asked> again = new ArrayList<>();
                long t1 = System.nanoTime();
                for (Asked a : asked) {
                    ExpertRanker.Ranking r = ExpertRanker.rank(
                            index,
                            new ExpertRanker.Question(
                                    a.question().text(),
                                    dev.vectors.get(a.row()),
                                    a.question().tags(),
                                    a.cutoff()),
                            ps);
                    again.add(new Asked(a.row(), a.question(), a.cutoff(), a.lastBlock(), r.candidates()));
                }
                System.out.printf("LAB pass %s in %.1f s%n", pass, (System.nanoTime() - t1) / 1e9);
                report(pass + " document model", again, c -> c.documentModel);
                report(pass + " fused", again, c -> c.unlearned);
            }
            // model-1 settings, fused at the default k and weight: the pool stays the default one
            CandidateModel.Params d = CandidateModel.Params.DEFAULTS;
            List<CandidateModel.Params> variants = List.of(
                    new CandidateModel.Params(d.mu(), d.tagMu(), d.halfLifeDays(), 30, d.priorWeight(), d.tagWeight()),
                    new CandidateModel.Params(d.mu(), d.tagMu(), d.halfLifeDays(), 60, d.priorWeight(), d.tagWeight()),
                    new CandidateModel.Params(d.mu(), d.tagMu(), 90, 30, d.priorWeight(), d.tagWeight()),
                    new CandidateModel.Params(d.mu(), d.tagMu(), 30, 30, d.priorWeight(), d.tagWeight()),
                    new CandidateModel.Params(d.mu(), d.tagMu(), 90, 60, d.priorWeight(), d.tagWeight()));
            for (CandidateModel.Params p : variants) {
                for (Asked a : asked) {
                    double[] m1 = index.candidateModel.scores(
                            a.question().text(), a.question().tags(), a.cutoff() - 1, p);
                    for (ExpertRanker.Candidate c : a.candidates()) {
                        c.candidateModel = m1[c.expert];
                    }
                    ExpertRanker.fuseModels(new ArrayList<>(a.candidates()), settings.candidateModelWeight());
                }
                report(p + " alone", asked, c -> c.candidateModel);
                report(p + " fused", asked, c -> c.unlearned);
            }
        }
    }

    /** Unit time-decayed centroids of each expert's training answers before {@code cutoff}. */
    private static float[][] centroids(ExpertIndex index, DevSet dev, int split, long cutoff, double halfLifeDays) {
        int dim = dev.vectors.get(0).length;
        float[][] c = new float[index.experts.length][dim];
        for (int i = 0; i < split; i++) {
            ExpertDoc d = dev.docs.get(i);
            if (d.time() >= cutoff) {
                continue;
            }
            double w = Math.exp(-Math.log(2) * ((cutoff - d.time()) / 86_400_000d) / halfLifeDays);
            float[] v = dev.vectors.get(i);
            float[] acc = c[index.expertOrdinal.get(d.expert())];
            for (int j = 0; j < dim; j++) {
                acc[j] += (float) (w * v[j]);
            }
        }
        for (float[] v : c) {
            double norm = Math.sqrt(dot(v, v));
            for (int j = 0; j < dim && norm > 0; j++) {
                v[j] /= (float) norm;
            }
        }
        return c;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void report(String name, List<Asked> asked, ToDoubleFunction<ExpertRanker.Candidate> score) {
        List<Integer> all = new ArrayList<>();
        List<Integer> last = new ArrayList<>();
        for (Asked a : asked) {
            List<ExpertRanker.Candidate> ranked = new ArrayList<>(a.candidates());
            ranked.sort(Comparator.comparingDouble(score).reversed().thenComparing(c -> c.name));
            int rank = Evaluator.rankOf(ranked, a.question().expert());
            all.add(rank);
            if (a.lastBlock()) {
                last.add(rank);
            }
        }
        RankingMetrics m = RankingMetrics.of(all);
        RankingMetrics l = RankingMetrics.of(last);
        // per block, oldest first: a setting that wins on average but loses the newer blocks is suspect
        java.util.TreeMap<Long, List<Integer>> byBlock = new java.util.TreeMap<>();
        for (int i = 0; i < asked.size(); i++) {
            byBlock.computeIfAbsent(asked.get(i).cutoff(), x -> new ArrayList<>())
                    .add(all.get(i));
        }
        StringBuilder blocks = new StringBuilder();
        byBlock.values()
                .forEach(r -> blocks.append(
                        String.format(" %.2f", RankingMetrics.of(r).mrrAt10())));
        System.out.printf(
                "LAB %-60s all MRR@10 %.3f hit@5 %.3f | last MRR@10 %.3f hit@5 %.3f | blocks%s%n",
                name, m.mrrAt10(), m.hitAt5(), l.mrrAt10(), l.hitAt5(), blocks);
    }
}
