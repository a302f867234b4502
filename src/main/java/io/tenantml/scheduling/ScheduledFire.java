package io.tenantml.scheduling;

import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * What a cron fire of a run over a dataset does: start on the dataset's latest version, or record itself as skipped,
 * with why. Trainings and index builds decide the same way, so the order of the reads lives here once: "is a run
 * queued or running?" is asked before "did the last finished run already use this version?". Asked the other way
 * round, a run that ended between the two reads was neither the last finished nor still active, and the fire ran
 * the same version again.
 */
public sealed interface ScheduledFire {

    /** Start a run on this dataset version. */
    record Start(int datasetVersion) implements ScheduledFire {}

    /** Record the fire as skipped; {@code datasetVersion} is null when the dataset has none. */
    record Skip(Integer datasetVersion, String reason) implements ScheduledFire {}

    /**
     * @param latestVersion the dataset's latest version, if any
     * @param activeRun why a queued or running run blocks the fire (a message for the tenant), if one does
     * @param alreadyUsed why the given version needs no run (the last finished run used it or a newer one), if so;
     *     called only when no run is active, in a statement after {@code activeRun}'s, so that a run no longer active
     *     there has its end committed and is seen
     */
    static ScheduledFire decide(
            String dataset,
            Optional<Integer> latestVersion,
            Supplier<Optional<String>> activeRun,
            IntFunction<Optional<String>> alreadyUsed) {
        if (latestVersion.isEmpty()) {
            return new Skip(null, "dataset '" + dataset + "' has no version yet");
        }
        int version = latestVersion.get();
        Optional<String> blocked = activeRun.get().or(() -> alreadyUsed.apply(version));
        return blocked.<ScheduledFire>map(reason -> new Skip(version, reason)).orElseGet(() -> new Start(version));
    }
}
