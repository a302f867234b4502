package io.tenantml.experts.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tenantml.experts.RankingSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/** The unlearned ranking's tag prior, candidate pool and as-of statistics, on small hand-made indexes. */
class ExpertRankerTest {

    private static final long DAY = 86_400_000L;

    private static ExpertDoc doc(String id, String text, String expert, long day, String... tags) {
        return new ExpertDoc(id, text, expert, day * DAY, List.of(tags));
    }

    private static ExpertIndex index(List<ExpertDoc> docs) throws Exception {
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            float[] v = new float[4];
            v[i % 4] = 1; // unit vectors; these tests search by text or not at all
            vectors.add(v);
        }
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        ExpertIndex.write(docs, vectors, dir);
        return ExpertIndex.open(dir);
    }

    @Test
    void shouldWeighTagAnswersByAgeCountingHalfAtTheHalfLifeAndNothingAfterTheQuestion() throws Exception {
        try (ExpertIndex index = index(List.of(
                doc("a", "fix the parser", "ann", 100, "promql"),
                doc("b", "speed up the parser", "ann", 70, "promql"),
                doc("c", "compact blocks", "ann", 100, "tsdb"),
                doc("d", "parser follow-up", "ann", 130, "promql")))) {
            int ann = index.expertOrdinal.get("ann");
            // as of day 100 with a 30-day half-life: day 100 counts 1, day 70 counts 0.5, day 130 is in the future
            assertThat(index.decayedTagAnswers(ann, "promql", 100 * DAY, 30)).isCloseTo(1.5, within(1e-9));
            assertThat(index.decayedTagAnswers(ann, "tsdb", 100 * DAY, 30)).isCloseTo(1.0, within(1e-9));
            assertThat(index.decayedTagAnswers(ann, "web", 100 * DAY, 30)).isZero();
        }
    }

    @Test
    void shouldTakeTagStatisticsAsOfTheQuestionSoALaterAnswerCannotLeakIntoTraining() throws Exception {
        try (ExpertIndex index = index(List.of(
                doc("a", "fix the parser", "ann", 10, "promql"),
                doc("b", "compact blocks", "ann", 20, "tsdb"),
                doc("c", "compact more blocks", "bob", 20, "tsdb"),
                doc("d", "parser again", "ann", 40, "promql")))) {
            ExpertRanker.Candidate asked = new ExpertRanker.Candidate(index.expertOrdinal.get("ann"), "ann");
            ExpertRanker.tagFeatures(index, asked, List.of("promql"), 30 * DAY, 0, 30);
            // as of day 30 Ann has answered twice, once on promql (day 40 is not there yet)
            assertThat(asked.tagOverlap).isCloseTo(0.5, within(1e-9));
            assertThat(asked.tagShare).isCloseTo(1.0, within(1e-9));
            ExpertRanker.Candidate later = new ExpertRanker.Candidate(index.expertOrdinal.get("ann"), "ann");
            ExpertRanker.tagFeatures(index, later, List.of("promql"), 40 * DAY, 0, 30);
            assertThat(later.tagOverlap).isCloseTo(2.0 / 3, within(1e-9));
            assertThat(later.tagActivity).isGreaterThan(asked.tagActivity);
        }
    }

    @Test
    void shouldLeaveTheRankingUnchangedByTheTagPriorWhenTheQuestionHasNoTags() {
        RankingSettings s = RankingSettings.DEFAULTS;
        ExpertRanker.Candidate busy = new ExpertRanker.Candidate(0, "busy");
        busy.tagActivity = 12;
        ExpertRanker.Candidate idle = new ExpertRanker.Candidate(1, "idle");
        assertThat(ExpertRanker.tagPrior(busy, List.of(), s)).isEqualTo(1);
        assertThat(ExpertRanker.tagPrior(idle, List.of(), s)).isEqualTo(1);
        // with tags: (12 + 0.1)^0.5 against (0 + 0.1)^0.5, i.e. 11 times the weight
        assertThat(ExpertRanker.tagPrior(busy, List.of("tsdb"), s) / ExpertRanker.tagPrior(idle, List.of("tsdb"), s))
                .isCloseTo(Math.sqrt(121), within(1e-9));
        RankingSettings off = new RankingSettings(100, 60, 10, 180, 180, 1, 0, 2, 0, 0, 0, 0);
        assertThat(ExpertRanker.tagPrior(busy, List.of("tsdb"), off)).isEqualTo(1);
    }

    @Test
    void shouldOfferTheMostActiveExpertsOfTheWindowAndOfTheTagsEvenWithoutAMatchingAnswer() throws Exception {
        List<ExpertDoc> docs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            docs.add(doc("m" + i, "release notes " + i, "maintainer", 100 + i, "docs"));
        }
        docs.add(doc("s1", "storage tuning", "storage-person", 90, "tsdb"));
        docs.add(doc("s2", "storage tuning again", "storage-person", 95, "tsdb"));
        docs.add(doc("o1", "old work", "retired", 1, "web"));
        try (ExpertIndex index = index(docs)) {
            ExpertRanker.Question q = new ExpertRanker.Question("unrelated words", null, List.of("tsdb"), null);
            RankingSettings onePerList = new RankingSettings(100, 60, 10, 180, 180, 1, 0, 0, 1, 30, 0.5, 0);
            List<String> pool = ExpertRanker.rank(index, q, onePerList).candidates().stream()
                    .map(c -> c.name)
                    .toList();
            // nobody's text matches; the window's most active and the most active on "tsdb" are offered
            assertThat(pool).containsExactlyInAnyOrder("maintainer", "storage-person");
            RankingSettings none = new RankingSettings(100, 60, 10, 180, 180, 1, 0, 0, 0, 30, 0.5, 0);
            assertThat(ExpertRanker.rank(index, q, none).candidates()).isEmpty();
        }
    }

    @Test
    void shouldAskEachTrainingQuestionOfTheIndexFrozenAtItsBlocksStart() {
        // 10 training answers in blocks of 3 counted back from the end: [7,10), [4,7), [1,4), [-2,1)
        assertThat(Evaluator.blockStart(9, 10, 3)).isEqualTo(7);
        assertThat(Evaluator.blockStart(7, 10, 3)).isEqualTo(7);
        assertThat(Evaluator.blockStart(6, 10, 3)).isEqualTo(4);
        assertThat(Evaluator.blockStart(1, 10, 3)).isEqualTo(1);
        assertThat(Evaluator.blockStart(0, 10, 3)).isEqualTo(-2);
        assertThatThrownBy(() -> Evaluator.blockStart(10, 10, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldServeNoRerankerWhenTheStoredOneWasTrainedOnAnotherFeatureSet() throws Exception {
        int width = ExpertRanker.FEATURES - 3; // a generation built before the features changed
        float[] data = new float[20 * width];
        float[] labels = new float[20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i * 7 % 11) / 11f;
        }
        for (int i = 0; i < labels.length; i += 4) {
            labels[i] = 1;
        }
        DMatrix m = new DMatrix(data, 20, width, Float.NaN);
        m.setLabel(labels);
        m.setGroup(new int[] {4, 4, 4, 4, 4});
        Map<String, Object> params = new HashMap<>(Map.of("objective", "rank:ndcg", "seed", 1, "nthread", 1));
        Booster old = XGBoost.train(m, params, 2, Map.of(), null, null);
        byte[] bytes = old.toByteArray("ubj");
        old.dispose();
        m.dispose();
        assertThat(Reranker.load(bytes)).isNull();
    }

    @Test
    void shouldReadSettingsStoredBeforeTheTagPriorAndRejectANegativeWeight() {
        // a provenance written before priorCandidates and the tag prior existed reads them as 0: valid, and off
        RankingSettings old = new RankingSettings(100, 60, 10, 180, 180, 1, 0.5, 2, 0, 0, 0, 0);
        assertThat(old.tagActivityWeight()).isZero();
        assertThatThrownBy(() -> new RankingSettings(100, 60, 10, 180, 180, 1, 0.5, 2, 0, 30, -1, 0))
                .hasMessageContaining("tagActivityWeight");
        assertThatThrownBy(() -> new RankingSettings(100, 60, 10, 180, 180, 1, 0.5, 2, 0, 0, 0.5, 0))
                .hasMessageContaining("tagHalfLifeDays");
    }

    @Test
    void shouldRankByTheWholeHistoryInTheCandidateModelAndCountNothingAfterTheQuestion() throws Exception {
        try (ExpertIndex index = index(List.of(
                doc("a1", "parser fix", "ann", 10, "promql"),
                doc("a2", "faster parser", "ann", 11, "promql"),
                doc("a3", "parser cleanup", "ann", 12, "promql"),
                doc("b1", "compaction fix", "bob", 10, "tsdb"),
                doc("b2", "faster compaction", "bob", 11, "tsdb"),
                doc("b3", "wal replay", "bob", 12, "tsdb"),
                doc("c1", "parser rewrite", "cat", 50, "promql")))) {
            int ann = index.expertOrdinal.get("ann");
            int bob = index.expertOrdinal.get("bob");
            int cat = index.expertOrdinal.get("cat");
            CandidateModel.Params p = CandidateModel.Params.DEFAULTS;
            // as of day 20: Ann and Bob answered as often and as lately; only Ann writes about the parser
            double[] byText = index.candidateModel.scores("the parser is slow", List.of(), 20 * DAY, p);
            assertThat(byText[ann]).isGreaterThan(byText[bob]);
            // Cat's only answer comes after the question: the model cannot rank her at all
            assertThat(byText[cat]).isEqualTo(CandidateModel.UNKNOWN);
            // the tag model alone (text nobody used) ranks by the question's tags
            double[] byTag = index.candidateModel.scores("unrelated", List.of("tsdb"), 20 * DAY, p);
            assertThat(byTag[bob]).isGreaterThan(byTag[ann]);
            // as of day 60 Cat is known, and the same question gives the same scores when asked twice
            double[] later = index.candidateModel.scores("the parser is slow", List.of(), 60 * DAY, p);
            assertThat(later[cat]).isGreaterThan(CandidateModel.UNKNOWN);
            assertThat(index.candidateModel.scores("the parser is slow", List.of(), 60 * DAY, p))
                    .containsExactly(later);
        }
    }

    @Test
    void shouldKeepTheDocumentModelsOrderWhenTheCandidateModelIsOffAndFuseRanksWhenOn() {
        ExpertRanker.Candidate strong = new ExpertRanker.Candidate(0, "strong");
        strong.documentModel = 3;
        strong.candidateModel = -40;
        ExpertRanker.Candidate profile = new ExpertRanker.Candidate(1, "profile");
        profile.documentModel = 2;
        profile.candidateModel = -10;
        ExpertRanker.Candidate weak = new ExpertRanker.Candidate(2, "weak");
        weak.documentModel = 1;
        weak.candidateModel = -20;
        List<ExpertRanker.Candidate> all = new ArrayList<>(List.of(strong, profile, weak));
        ExpertRanker.fuseModels(all, 0);
        assertThat(strong.unlearned).isEqualTo(3);
        assertThat(profile.unlearned).isEqualTo(2);
        ExpertRanker.fuseModels(all, 0.5);
        int k = ExpertRanker.MODEL_FUSION_K;
        // strong: document rank 1, candidate rank 3; profile: 2 and 1; weak: 3 and 2
        assertThat(strong.unlearned).isCloseTo(0.5 / (k + 1) + 0.5 / (k + 3), within(1e-12));
        assertThat(profile.unlearned).isCloseTo(0.5 / (k + 2) + 0.5 / (k + 1), within(1e-12));
        assertThat(profile.unlearned).isGreaterThan(strong.unlearned).isGreaterThan(weak.unlearned);
    }

    @Test
    void shouldScoreTheCandidateModelExactlyAsItsFormulaComputedExpertByExpert() throws Exception {
        long seed = 7;
        java.util.Random random = new java.util.Random(seed);
        String[] words = {"parser", "compaction", "wal", "replay", "query", "scrape", "alert", "rule", "label", "index"
        };
        String[] tags = {"promql", "tsdb", "web", "docs"};
        List<ExpertDoc> docs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0, n = 1 + random.nextInt(6); w < n; w++) {
                text.append(words[random.nextInt(words.length)]).append(' ');
            }
            String tag = tags[random.nextInt(tags.length)];
            docs.add(doc("d" + i, text.toString(), "expert" + random.nextInt(8), 1 + random.nextInt(400), tag));
        }
        docs.sort(java.util.Comparator.comparingLong(ExpertDoc::time));
        CandidateModel.Params p = new CandidateModel.Params(50, 2, 90, 60, 1.5, 0.5);
        try (ExpertIndex index = index(docs)) {
            for (long day : new long[] {100, 250, 401}) {
                // "wal" twice, a word no answer has, and a tag no answer carries
                String question = "wal replay wal slow";
                List<String> questionTags = List.of("tsdb", "nobody-uses-this");
                double[] scores = index.candidateModel.scores(question, questionTags, day * DAY, p);
                double[] expected = candidateModelByTheFormula(index, docs, question, questionTags, day * DAY, p);
                for (int e = 0; e < expected.length; e++) {
                    if (expected[e] == CandidateModel.UNKNOWN) {
                        assertThat(scores[e])
                                .as("seed %d, day %d, %s", seed, day, index.experts[e])
                                .isEqualTo(CandidateModel.UNKNOWN);
                    } else {
                        assertThat(scores[e])
                                .as("seed %d, day %d, %s", seed, day, index.experts[e])
                                .isCloseTo(expected[e], within(1e-9 * Math.abs(expected[e])));
                    }
                }
            }
        }
    }

    /**
     * Balog's model 1 as the class documents it, computed directly for each expert: log of the Dirichlet-smoothed
     * probability of each query term and tag, plus the weighted log prior, with answers weighted by age and none
     * after {@code now}.
     */
    private static double[] candidateModelByTheFormula(
            ExpertIndex index,
            List<ExpertDoc> docs,
            String question,
            List<String> questionTags,
            long now,
            CandidateModel.Params p)
            throws Exception {
        int experts = index.experts.length;
        List<List<String>> terms = new ArrayList<>();
        for (ExpertDoc d : docs) {
            terms.add(analysed(index, d.text()));
        }
        double[] score = new double[experts];
        double[] prior = new double[experts];
        double[] termMass = new double[experts];
        double[] tagMass = new double[experts];
        double total = 0, totalTags = 0;
        double[] weight = new double[docs.size()];
        for (int i = 0; i < docs.size(); i++) {
            if (docs.get(i).time() > now) {
                continue;
            }
            double days = (now - docs.get(i).time()) / (double) DAY;
            weight[i] = Math.pow(0.5, days / p.halfLifeDays());
            int e = index.expertOrdinal.get(docs.get(i).expert());
            prior[e] += Math.pow(0.5, days / p.priorHalfLifeDays());
            termMass[e] += weight[i] * terms.get(i).size();
            tagMass[e] += weight[i] * docs.get(i).tags().size();
            total += weight[i] * terms.get(i).size();
            totalTags += weight[i] * docs.get(i).tags().size();
        }
        for (String term : analysed(index, question)) {
            if (terms.stream().noneMatch(t -> t.contains(term))) {
                continue; // no answer, at any time, holds it
            }
            double[] mine = new double[experts];
            double all = 0;
            for (int i = 0; i < docs.size(); i++) {
                double c = weight[i] * java.util.Collections.frequency(terms.get(i), term);
                mine[index.expertOrdinal.get(docs.get(i).expert())] += c;
                all += c;
            }
            double background = (all + 0.5) / (total + 1);
            for (int e = 0; e < experts; e++) {
                score[e] += Math.log((mine[e] + p.mu() * background) / (termMass[e] + p.mu()));
            }
        }
        for (String tag : questionTags) {
            double[] mine = new double[experts];
            double all = 0;
            for (int i = 0; i < docs.size(); i++) {
                double c = docs.get(i).tags().contains(tag) ? weight[i] : 0;
                mine[index.expertOrdinal.get(docs.get(i).expert())] += c;
                all += c;
            }
            double background = (all + 0.5) / (totalTags + 1);
            for (int e = 0; e < experts; e++) {
                score[e] += p.tagWeight() * Math.log((mine[e] + p.tagMu() * background) / (tagMass[e] + p.tagMu()));
            }
        }
        for (int e = 0; e < experts; e++) {
            score[e] = prior[e] > 0 ? score[e] + p.priorWeight() * Math.log(prior[e]) : CandidateModel.UNKNOWN;
        }
        return score;
    }

    private static List<String> analysed(ExpertIndex index, String text) throws Exception {
        List<String> terms = new ArrayList<>();
        try (org.apache.lucene.analysis.TokenStream ts = index.analyzer().tokenStream(ExpertIndex.TEXT, text)) {
            var term = ts.addAttribute(org.apache.lucene.analysis.tokenattributes.CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                terms.add(term.toString());
            }
            ts.end();
        }
        return terms;
    }

    @Test
    void shouldOfferTheSameExpertsAsSortingEveryoneByValueWithTiesToTheEarlierName() throws Exception {
        long seed = 11;
        java.util.Random random = new java.util.Random(seed);
        List<ExpertDoc> docs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            docs.add(doc("d" + i, "some answer", "expert" + (char) ('a' + random.nextInt(26)), i));
        }
        try (ExpertIndex index = index(docs)) {
            int experts = index.experts.length;
            for (int round = 0; round < 50; round++) {
                double[] value = new double[experts];
                for (int e = 0; e < experts; e++) {
                    value[e] = random.nextInt(4) - 1; // many ties, some at or below the floor of 0
                }
                for (int n = 0; n <= experts + 1; n++) {
                    List<Integer> sorted = new ArrayList<>();
                    for (int e = 0; e < experts; e++) {
                        if (value[e] > 0) {
                            sorted.add(e);
                        }
                    }
                    sorted.sort(java.util.Comparator.comparingDouble((Integer e) -> -value[e])
                            .thenComparing(e -> index.experts[e]));
                    List<Integer> chosen = java.util.Arrays.stream(
                                    ExpertRanker.best(index, n, index.everyExpert, e -> value[e], 0))
                            .boxed()
                            .toList();
                    assertThat(chosen)
                            .as("seed %d, round %d, n %d", seed, round, n)
                            .containsExactlyInAnyOrderElementsOf(sorted.subList(0, Math.min(n, sorted.size())));
                }
            }
        }
    }
}
