package io.tenantml.experts;

import java.util.Optional;
import java.util.UUID;

/**
 * The lifecycle of one build run, kept behind this interface so that it can move onto the platform's run
 * ledger without touching the build itself. Order per attempt: {@link #start} once; {@link #progress} any
 * number of times; then exactly one of {@link #finish} or {@link #fail}. Every call commits on its own, so
 * progress is visible while the build runs and a crash leaves the last state written.
 *
 * <p>Redo rule (like trainings): a run found {@code running} when it starts again (its node died) is redone
 * once; found running a second time it fails. The generation that was current keeps answering throughout.
 */
public interface BuildRunner {

    /** What a started attempt works on. */
    record Claim(UUID build, String recommender, String dataset, int datasetVersion, int attempt) {}

    /** How a build ended. {@code accepted}: make its generation current in the same commit. */
    record Outcome(
            int rowsIndexed,
            int rowsEmbedded,
            String indexSha256,
            long indexBytes,
            String rerankerSha256,
            BuildEvaluation evaluation,
            BuildProvenance provenance,
            boolean accepted,
            String gateReason) {}

    /** Claims a queued (or interrupted) build for this attempt; empty when it must not run. */
    Optional<Claim> start(UUID build, boolean recovering);

    void progress(UUID build, double fraction, String phase);

    /** Records the outcome and, when accepted, makes its generation current atomically with it. */
    void finish(UUID build, Outcome outcome);

    void fail(UUID build, String error);
}
