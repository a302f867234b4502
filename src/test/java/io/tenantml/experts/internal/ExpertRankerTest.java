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
}
