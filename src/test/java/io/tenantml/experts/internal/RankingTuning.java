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
 * Tunes the unlearned ranking's weights on an inner validation split (the first 81% indexed, the next 9% asked),
 * never on the holdout. Tagged benchmark: run on purpose only.
 */
@Tag("benchmark")
class RankingTuning {

    @Test
    void tune() throws Exception {
        DevSet dev = DevSet.get();
        int n = dev.docs.size();
        int holdoutStart = n - (int) Math.ceil(n * 0.1);
        int split = holdoutStart - (int) Math.ceil(holdoutStart * 0.1);
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        ExpertIndex.write(dev.docs.subList(0, split), dev.vectors.subList(0, split), dir);
        try (ExpertIndex index = ExpertIndex.open(dir)) {
            for (double rw : new double[] {0, 1, 4}) {
                for (double aw : new double[] {0.5, 1.5, 4}) {
                    for (int docs : new int[] {3, 10, 30}) {
                        for (double tb : new double[] {0, 2}) {
                            RankingSettings s = RankingSettings.DEFAULTS.with(rw, aw, docs, tb);
                            List<Integer> ranks = new ArrayList<>();
                            for (int i = split; i < holdoutStart; i++) {
                                ExpertDoc q = dev.docs.get(i);
                                if (!index.knows(q.expert())) {
                                    continue;
                                }
                                ranks.add(Evaluator.rankOf(
                                        ExpertRanker.rank(
                                                        index,
                                                        new ExpertRanker.Question(
                                                                q.text(), dev.vectors.get(i), q.tags(), null),
                                                        s)
                                                .candidates(),
                                        q.expert()));
                            }
                            System.out.printf(
                                    "TUNE rw=%s aw=%s docs=%d tb=%s -> %s%n",
                                    rw, aw, docs, tb, RankingMetrics.of(ranks));
                        }
                    }
                }
            }
        }
    }
}
