package io.tenantml.serving.internal;

import io.tenantml.serving.Prediction;
import io.tenantml.serving.ServedModel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores together the plain predictions (no explanation) that one event-loop thread handles in one turn
 * for the same model version: one XGBoost call instead of one per request. XGBoost's per-call setup (it
 * parses its configuration, rebuilds its view of the trees and reads the cgroup CPU quota files on every
 * call) costs several times the tree traversal of a row, and under load an event loop handles several
 * requests per turn. Nothing waits for more requests to come: the batch is scored as soon as the loop
 * has handled what it had already read, so a lone request is scored in its own turn, exactly as before.
 */
public final class TurnBatcher {

    /** Receives the predictions of one request's rows, or the failure of the batch; on the event loop. */
    public interface Completion {
        void scored(List<Prediction> predictions);

        void failed(Throwable cause);
    }

    private record Part(float[] data, int rows, Completion completion) {}

    private static final class Pending {
        final ServedModel model;
        final List<Part> parts = new ArrayList<>();
        int rows;

        Pending(ServedModel model) {
            this.model = model;
        }
    }

    /** Told of every XGBoost call: the batch key and how many rows it scored (for metrics). */
    @FunctionalInterface
    public interface Listener {
        void scored(Object key, int rows, int requests);
    }

    /** Per event-loop thread, so batches need no locks: a batch is filled and scored on one thread. */
    private final ThreadLocal<Map<Object, Pending>> pending = ThreadLocal.withInitial(HashMap::new);

    private final Listener listener;

    public TurnBatcher(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Adds rows to this turn's batch for {@code key} (a model version; {@code model} serves it), scored
     * at the end of the turn. Returns false, doing nothing, when not called on an event loop.
     */
    public boolean submit(Object key, ServedModel model, float[] data, int rows, Completion completion) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(completion, "completion");
        if (rows < 1 || data.length != rows * model.width()) {
            // Checked here, not when scoring: one malformed part must not fail the others of its batch.
            throw new IllegalArgumentException(
                    "data has " + data.length + " values, expected " + rows + " x " + model.width());
        }
        Context context = Vertx.currentContext();
        if (context == null || !Context.isOnEventLoopThread()) {
            return false;
        }
        Map<Object, Pending> batches = pending.get();
        Pending batch = batches.get(key);
        if (batch == null) {
            Pending fresh = new Pending(model);
            batches.put(key, fresh);
            // Runs after the tasks already queued on this loop (the other requests it has read).
            context.runOnContext(ignored -> score(key, fresh));
            batch = fresh;
        }
        batch.parts.add(new Part(data, rows, completion));
        batch.rows += rows;
        return true;
    }

    private void score(Object key, Pending batch) {
        pending.get().remove(key, batch);
        List<Prediction> predictions;
        try {
            float[] data = batch.parts.size() == 1 ? batch.parts.getFirst().data() : concat(batch);
            predictions = Scorer.predict(batch.model, data, batch.rows, false);
        } catch (Exception | Error e) {
            batch.parts.forEach(part -> part.completion().failed(e));
            return;
        }
        listener.scored(key, batch.rows, batch.parts.size());
        int from = 0;
        for (Part part : batch.parts) {
            part.completion().scored(predictions.subList(from, from + part.rows()));
            from += part.rows();
        }
    }

    private static float[] concat(Pending batch) {
        float[] data = new float[batch.rows * batch.model.width()];
        int offset = 0;
        for (Part part : batch.parts) {
            System.arraycopy(part.data(), 0, data, offset, part.data().length);
            offset += part.data().length;
        }
        return data;
    }
}
