package io.tenantml.experts.internal;

import io.tenantml.experts.DevSet;
import io.tenantml.experts.RankingMetrics;
import io.tenantml.experts.RankingSettings;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Chooses the unlearned ranking's settings on the training part only, never on the holdout: the index holds the
 * first 90% of answers (the build's training part), and the questions are its own answers from 20% on, cut into
 * blocks of the holdout's size counted back from the end; a question sees the index frozen at its block's start
 * (as the holdout sees the index frozen at the split) and counts when its author answered before. The last block
 * is the validation slice; the score is the mean over all blocks. Tagged benchmark: run on purpose only (about a
 * minute per setting on two idle cores).
 */
@Tag("benchmark")
class RankingTuning {

    @Test
    void tune() throws Exception {
        DevSet dev = DevSet.get();
        int n = dev.docs.size();
        int split = n - (int) Math.ceil(n * 0.1);
        int block = n - split;
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        ExpertIndex.write(dev.docs.subList(0, split), dev.vectors.subList(0, split), dir);
        try (ExpertIndex index = ExpertIndex.open(dir)) {
            for (double tagWeight : new double[] {0, 0.5, 1}) {
                for (double tagHalfLife : new double[] {30, 120, 480}) {
                    for (double activity : new double[] {0, 0.5}) {
                        if (tagWeight == 0 && tagHalfLife != 30) {
                            continue; // the half-life does not matter when the prior is off
                        }
                        RankingSettings d = RankingSettings.DEFAULTS;
                        RankingSettings s = new RankingSettings(
                                d.candidates(),
                                d.rrfK(),
                                d.docsPerExpert(),
                                d.halfLifeDays(),
                                d.activityDays(),
                                d.recencyWeight(),
                                activity,
                                d.tagBoost(),
                                d.priorCandidates(),
                                tagHalfLife,
                                tagWeight,
                                d.candidateModelWeight());
                        List<Integer> all = new ArrayList<>();
                        List<Integer> last = new ArrayList<>();
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
                            int rank = Evaluator.rankOf(
                                    ExpertRanker.rank(
                                                    index,
                                                    new ExpertRanker.Question(
                                                            q.text(), dev.vectors.get(i), q.tags(), cutoff),
                                                    s)
                                            .candidates(),
                                    q.expert());
                            all.add(rank);
                            if (start == split - block) {
                                last.add(rank);
                            }
                        }
                        System.out.printf(
                                "TUNE tagWeight=%s tagHalfLife=%s activity=%s -> all blocks %s; last block %s%n",
                                tagWeight, tagHalfLife, activity, RankingMetrics.of(all), RankingMetrics.of(last));
                    }
                }
            }
        }
    }
}
