package io.tenantml.training;

/** Called by {@link XGBoostTrainer} after each boosting round, on the training thread. */
public interface BoostingListener {

    BoostingListener NONE = (round, maxRounds, score) -> {};

    /** @param round 1-based rounds done so far; {@code score} is the stopping metric on validation */
    void onRound(int round, int maxRounds, double score);

    /** Checked before each round; true stops training with {@link java.util.concurrent.CancellationException}. */
    default boolean cancelled() {
        return false;
    }
}
