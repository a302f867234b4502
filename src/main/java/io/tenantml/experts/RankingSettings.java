package io.tenantml.experts;

/**
 * How the unlearned ranking combines its evidence. Every number has a default ({@link #DEFAULTS}); a
 * recommender's spec may set {@code halfLifeDays}.
 *
 * @param candidates        answers taken from each of the kNN and BM25 lists
 * @param rrfK              reciprocal rank fusion constant: a document at rank r of a list adds 1/(rrfK + r)
 * @param docsPerExpert     the document model sums an expert's best this many fused answers
 * @param halfLifeDays      recency prior: an expert whose last answer is this old counts half
 * @param activityDays      activity prior window: answers in the last this many days
 * @param recencyWeight     weight of the recency prior (score × (1 + w · recency))
 * @param activityWeight    weight of the activity prior (score × (1 + w · log(1 + answers in window)))
 * @param tagBoost          BM25 boost of a query tag matching an answer's tag
 * @param priorCandidates   the candidate pool also takes this many of the most active experts of the activity
 *                          window, and as many for each question tag (the most recent answers carrying it); 0 adds
 *                          none (settings stored before this existed read as 0)
 * @param tagHalfLifeDays   tag prior: an answer on one of the question's tags this old counts half
 * @param tagActivityWeight exponent of the tag prior (score × (decayed answers on the question's tags + 0.1)^w); 0
 *                          turns it off (settings stored before it existed read as 0)
 * @param candidateModelWeight weight of Balog's candidate model (model 1) fused with the document model above;
 *                          0 ranks by the document model alone (settings stored before it existed read as 0)
 */
public record RankingSettings(
        int candidates,
        int rrfK,
        int docsPerExpert,
        double halfLifeDays,
        int activityDays,
        double recencyWeight,
        double activityWeight,
        double tagBoost,
        int priorCandidates,
        double tagHalfLifeDays,
        double tagActivityWeight,
        double candidateModelWeight) {

    /**
     * Chosen on the training part only (questions of frozen-index blocks before an inner split, and that inner
     * split's block; never the holdout): see {@code RankingTuning}, {@code RankingLab} and docs/benchmarks.md.
     */
    public static final RankingSettings DEFAULTS =
            new RankingSettings(100, 60, 10, 180, 180, 1.0, 0.0, 2.0, 40, 30, 0.5, 0.6);

    public RankingSettings {
        if (candidates < 1 || candidates > 1000) {
            throw new IllegalArgumentException("candidates must be 1..1000, was " + candidates);
        }
        if (rrfK < 1) {
            throw new IllegalArgumentException("rrfK must be at least 1, was " + rrfK);
        }
        if (docsPerExpert < 1) {
            throw new IllegalArgumentException("docsPerExpert must be at least 1, was " + docsPerExpert);
        }
        if (!(halfLifeDays > 0)) {
            throw new IllegalArgumentException("halfLifeDays must be positive, was " + halfLifeDays);
        }
        if (activityDays < 1) {
            throw new IllegalArgumentException("activityDays must be at least 1, was " + activityDays);
        }
        if (priorCandidates < 0 || priorCandidates > 1000) {
            throw new IllegalArgumentException("priorCandidates must be 0..1000, was " + priorCandidates);
        }
        if (!(tagActivityWeight >= 0)) {
            throw new IllegalArgumentException("tagActivityWeight must be at least 0, was " + tagActivityWeight);
        }
        if (tagActivityWeight > 0 && !(tagHalfLifeDays > 0)) {
            throw new IllegalArgumentException("tagHalfLifeDays must be positive, was " + tagHalfLifeDays);
        }
        if (!(candidateModelWeight >= 0 && candidateModelWeight <= 1)) {
            throw new IllegalArgumentException("candidateModelWeight must be 0..1, was " + candidateModelWeight);
        }
    }

    public RankingSettings withHalfLifeDays(Double days) {
        return days == null
                ? this
                : new RankingSettings(
                        candidates,
                        rrfK,
                        docsPerExpert,
                        days,
                        activityDays,
                        recencyWeight,
                        activityWeight,
                        tagBoost,
                        priorCandidates,
                        tagHalfLifeDays,
                        tagActivityWeight,
                        candidateModelWeight);
    }

    public RankingSettings with(double recency, double activity, int docs, double tags) {
        return new RankingSettings(
                candidates,
                rrfK,
                docs,
                halfLifeDays,
                activityDays,
                recency,
                activity,
                tags,
                priorCandidates,
                tagHalfLifeDays,
                tagActivityWeight,
                candidateModelWeight);
    }

    /** These settings with another weight of the candidate model (0 turns it off). */
    public RankingSettings withCandidateModelWeight(double weight) {
        return new RankingSettings(
                candidates,
                rrfK,
                docsPerExpert,
                halfLifeDays,
                activityDays,
                recencyWeight,
                activityWeight,
                tagBoost,
                priorCandidates,
                tagHalfLifeDays,
                tagActivityWeight,
                weight);
    }
}
