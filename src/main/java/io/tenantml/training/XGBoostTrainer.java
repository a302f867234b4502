package io.tenantml.training;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Boosting with early stopping on the validation split. It makes the same native calls as
 * {@code XGBoost.train(train, params, rounds, {"validation": valid}, null, null, null, earlyStopping)} and
 * applies the same stopping rule (strict improvement; stop {@code earlyStoppingRounds} rounds after the
 * best), so the booster is identical; it runs the loop itself only to report progress and to be
 * cancellable between rounds. Like XGBoost4J it keeps every round built, including those after the best.
 */
public final class XGBoostTrainer {

    private XGBoostTrainer() {}

    /** The booster and how training went; {@code bestIteration} is 0-based. */
    public record Boosted(Booster booster, int rounds, int bestIteration, double bestScore) {}

    public static Boosted boost(
            DMatrix train,
            DMatrix valid,
            Map<String, Object> params,
            int numRounds,
            int earlyStoppingRounds,
            BoostingListener listener)
            throws XGBoostError {
        Map<String, DMatrix> watches = new LinkedHashMap<>();
        watches.put("validation", valid);
        // zero rounds: XGBoost4J creates the booster over the same matrices and copies names and types
        Booster booster = XGBoost.train(train, params, 0, watches, null, null, null, 0);
        DMatrix[] evalMats = {valid};
        String[] evalNames = {"validation"};
        float bestScore = Float.MAX_VALUE;
        int bestIteration = 0;
        int iter = 0;
        try {
            for (; iter < numRounds; iter++) {
                if (listener.cancelled()) {
                    throw new CancellationException("training cancelled after " + iter + " rounds");
                }
                booster.update(train, iter);
                float[] scores = new float[1];
                booster.evalSet(evalMats, evalNames, iter, scores);
                float score = scores[0];
                if (score < bestScore) {
                    bestScore = score;
                    bestIteration = iter;
                }
                listener.onRound(iter + 1, numRounds, score);
                if (earlyStoppingRounds > 0 && iter - bestIteration >= earlyStoppingRounds) {
                    iter++;
                    break;
                }
            }
        } catch (RuntimeException | XGBoostError e) {
            booster.dispose();
            throw e;
        }
        booster.setAttr("best_iteration", String.valueOf(bestIteration));
        booster.setAttr("best_score", String.valueOf(bestScore));
        return new Boosted(booster, iter, bestIteration, bestScore);
    }
}
