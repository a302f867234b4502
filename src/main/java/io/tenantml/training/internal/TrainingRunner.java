package io.tenantml.training.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.dataset.DatasetReader;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.dataset.DatasetVersionRef;
import io.tenantml.events.EventType;
import io.tenantml.events.TenantEvents;
import io.tenantml.model.GateDecision;
import io.tenantml.model.InvalidSpecException;
import io.tenantml.model.ModelProvenance;
import io.tenantml.monitoring.ReferenceProfiles;
import io.tenantml.registry.LoadedModel;
import io.tenantml.registry.ModelArtifact;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.registry.ModelVersionView;
import io.tenantml.registry.NewModelVersion;
import io.tenantml.registry.TamperedModelException;
import io.tenantml.registry.VersionStatus;
import io.tenantml.scheduling.RunContext;
import io.tenantml.scheduling.RunFailure;
import io.tenantml.scheduling.RunHandler;
import io.tenantml.scheduling.RunKind;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.training.BoostingListener;
import io.tenantml.training.ChampionComparison;
import io.tenantml.training.Gate;
import io.tenantml.training.ModelSpec;
import io.tenantml.training.ModelSpecService;
import io.tenantml.training.ModelTrainer;
import io.tenantml.training.TooFewRowsException;
import io.tenantml.training.TrainedModel;
import io.tenantml.training.TrainingConfig;
import io.tenantml.training.TrainingService;
import io.tenantml.usage.Meter;
import io.tenantml.usage.Meters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The run handler of trainings: read the dataset version, train, score the champion and the candidate on the
 * candidate's validation rows the champion did not train on, gate, then register the version (keyed by training id)
 * with its reference profile and record the outcome in the training row, all in the commit that records the run's
 * success. The run ledger owns the lifecycle (state, attempts, progress, error); the training row holds what the run
 * produced.
 */
@ApplicationScoped
public class TrainingRunner implements RunHandler {

    private static final Logger LOG = Logger.getLogger(TrainingRunner.class);
    private static final long CANCEL_POLL_MILLIS = 500;

    @Inject
    Meters usage;

    @Inject
    TenantContext tenantContext;

    @Inject
    ModelSpecService specs;

    @Inject
    TrainingService trainings;

    @Inject
    ModelRegistry registry;

    @Inject
    jakarta.enterprise.inject.Instance<DatasetReader> datasets;

    @Inject
    TrainingConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry meters;

    @Inject
    ReferenceProfiles references;

    @Inject
    Clock clock;

    @Inject
    TenantEvents events;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String platformVersion;

    @Override
    public RunKind kind() {
        return RunKind.TRAINING;
    }

    /**
     * Runs a queued training. A redone run first finishes a version an earlier attempt registered without recording
     * it: a release before registration moved into the success commit could die between the two.
     */
    @Override
    public void run(RunContext run) {
        Optional<ModelVersionView> registered = registry.versionOfTraining(run.id());
        if (registered.isPresent()) {
            run.succeed(() -> finish(entity(run.id()), registered.get()));
            return;
        }
        train(begin(run), run);
    }

    /** A cron fire: queue a training on the latest version, or record why none was due. */
    public void scheduled(String model) {
        trainings.startScheduled(model);
    }

    private record Begun(UUID id, String model, String dataset, int datasetVersion, int attempt) {}

    private Begun begin(RunContext run) {
        return QuarkusTransaction.requiringNew().call(() -> {
            TrainingEntity t = entity(run.id());
            if (t == null) {
                throw new RunFailure("training-missing", "the training's record is gone (its model was deleted)");
            }
            t.rounds = 0;
            return new Begun(t.id, t.model, t.dataset, t.datasetVersion, run.attempt());
        });
    }

    private void train(Begun begun, RunContext run) {
        TenantId tenant = tenantContext.require();
        Timer.Sample sample = Timer.start(meters);
        long startedNanos = System.nanoTime();
        Integer registeredVersion = null;
        String outcome = "failed";
        try {
            UUID incarnation = specs.incarnation(begun.model()).orElseThrow(() -> modelDeleted(begun));
            ModelSpec spec = specs.spec(begun.model()).orElseThrow(() -> modelDeleted(begun));
            DatasetReader reader = datasets.get();
            DatasetVersionRef version = reader.version(begun.dataset(), begun.datasetVersion())
                    .orElseThrow(() -> new RunFailure(
                            "dataset-version-missing",
                            "dataset '" + begun.dataset() + "' has no version " + begun.datasetVersion()));
            DatasetSchema schema = version.schema();
            TrainedModel model;
            try (DatasetReader.RowCursor rows = reader.open(begun.dataset(), begun.datasetVersion())) {
                model = ModelTrainer.train(
                        spec,
                        schema,
                        rows,
                        config.threads(),
                        new Progress(begun.id(), run),
                        config.leakage().settings());
            }
            try (model) {
                ChampionComparison champion = championComparison(begun.model(), spec, schema, model);
                GateDecision gate = Gate.decide(spec.gate(), model.metrics(), model.baseline(), champion);
                ModelProvenance provenance = new ModelProvenance(
                        tenant.value(),
                        begun.model(),
                        begun.id().toString(),
                        begun.dataset(),
                        version.version(),
                        version.sha256(),
                        spec.params(),
                        spec.params().seed(),
                        config.threads(),
                        spec.resolveFeatures(schema),
                        model.rounds(),
                        model.bestIteration(),
                        XGBOOST_VERSION,
                        System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                        platformVersion,
                        clock.instant(),
                        model.split());
                byte[] file = ModelArtifact.write(
                        model.booster(), new ModelArtifact.Metadata(model.transform(), model.target(), provenance));
                NewModelVersion candidate = new NewModelVersion(
                        begun.model(),
                        begun.id(),
                        gate.passed(),
                        gate.reason(),
                        new ModelVersionView.DatasetLineage(begun.dataset(), version.version(), version.sha256()),
                        spec.objective(),
                        spec.params(),
                        spec.params().seed(),
                        model.metrics(),
                        model.baseline(),
                        gate,
                        model.importance(),
                        model.transform(),
                        model.target(),
                        provenance,
                        file,
                        model.warnings());
                // Registered in the commit that records the run's success, with its reference profile, the training's
                // outcome and its usage, as an index build makes its generation current: no reader sees the version
                // (or production moved to it) while the training still runs, and a node that lost the run to
                // another registers nothing. The model may have been deleted (or deleted and created again) while
                // this trained: the version registers under the model's lock only while it is still that model.
                AtomicReference<ModelVersionView> committed = new AtomicReference<>();
                run.succeed(() -> {
                    if (!specs.holdForTraining(begun.model(), incarnation)) {
                        throw modelDeleted(begun);
                    }
                    ModelVersionView added = registry.register(candidate, spec.autoPromote());
                    references.store(
                            begun.model(),
                            added.version(),
                            model.reference()
                                    .withLineage(
                                            begun.id().toString(),
                                            begun.dataset(),
                                            version.version(),
                                            version.sha256(),
                                            clock.instant()));
                    finish(entity(begun.id()), added);
                    // billed here too, so that no succeeded training goes unbilled (a node dying before the finally
                    // below would have lost it); that record then finds its ids taken and adds nothing
                    recordAttempt(tenant, begun, added.version(), secondsSince(startedNanos));
                    committed.set(added);
                });
                ModelVersionView registered = committed.get();
                if (spec.retention() != null) {
                    // the spec as this training read it; a change since applied its own retention
                    registry.applyRetention(begun.model(), spec.retention().keepVersions());
                }
                registeredVersion = registered.version();
                outcome = gate.passed() ? "succeeded" : "rejected";
            }
        } catch (CancellationException e) {
            outcome = "cancelled";
            throw e;
        } catch (TooFewRowsException e) {
            // the tenant's data, not the platform: the message is our own and names the count
            throw new RunFailure("too-few-rows", e.getMessage(), e);
        } catch (InvalidSpecException e) {
            // a spec that was valid for the schema but not for the rows (one class left, say): our own message
            throw new RunFailure("invalid-spec", e.field() + ": " + e.getMessage(), e);
        } catch (TamperedModelException e) {
            // our own message: names the model file and that it was refused, nothing of the system
            throw new RunFailure("model-file-refused", e.getMessage(), e);
        } catch (RunFailure e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("training " + begun.id() + " of " + begun.model() + " failed", e);
        } finally {
            sample.stop(meters.timer(
                    "tenantml.training.duration",
                    "tenant",
                    tenant.value(),
                    "model",
                    begun.model(),
                    "outcome",
                    outcome));
            meterAttempt(tenant, begun, registeredVersion, secondsSince(startedNanos));
        }
    }

    /**
     * Every attempt is billed once (its own idempotency id), whatever its outcome: a redone or failed attempt
     * used the CPU too. CPU seconds are the attempt's wall time times the XGBoost threads it held (native
     * threads are outside the JVM's per-thread CPU accounting).
     */
    private void meterAttempt(TenantId tenant, Begun begun, Integer version, double wallSeconds) {
        try {
            recordAttempt(tenant, begun, version, wallSeconds);
        } catch (RuntimeException e) {
            LOG.warnf(e, "usage of training %s not recorded", begun.id());
        }
    }

    private static double secondsSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private void recordAttempt(TenantId tenant, Begun begun, Integer version, double wallSeconds) {
        Map<String, String> dimensions = version == null
                ? Map.of("model", begun.model())
                : Map.of("model", begun.model(), "version", Integer.toString(version));
        usage.recordCompute(
                tenant,
                Meter.TRAINING_WALL_SECONDS,
                Meter.TRAINING_CPU_SECONDS,
                dimensions,
                wallSeconds,
                config.threads(),
                "training:" + begun.id() + ":" + begun.attempt());
    }

    /**
     * The champion against the candidate on the candidate's validation rows the champion did not train on (by the
     * split its provenance records), each through its own transform; null when there is no champion.
     */
    private ChampionComparison championComparison(
            String modelName, ModelSpec spec, DatasetSchema schema, TrainedModel candidate) throws Exception {
        Optional<Integer> production = registry.aliasVersion(modelName, ModelRegistry.PRODUCTION);
        if (production.isEmpty()) {
            return null;
        }
        try (LoadedModel champion = registry.load(modelName, production.get())) {
            return ChampionComparison.of(
                    production.get(), champion, spec, schema, candidate, config.gateMinChampionRows());
        }
    }

    private static RunFailure modelDeleted(Begun begun) {
        return new RunFailure("model-deleted", "model '" + begun.model() + "' was deleted");
    }

    private void finish(TrainingEntity t, ModelVersionView version) {
        t.accepted = version.status() == VersionStatus.ACCEPTED;
        t.modelVersion = version.version();
        t.metrics = write(version.metrics());
        t.baseline = write(version.baseline());
        t.gate = write(version.gate());
        t.rounds = version.provenance().rounds();
        t.warnings = version.warnings();
        // committed with the training's outcome (RunContext.succeed): the event exists exactly when it does
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("model", t.model);
        data.put("training", t.id.toString());
        data.put("version", version.version());
        if (t.accepted) {
            data.put("promoted", version.aliases().contains(ModelRegistry.PRODUCTION));
        } else {
            data.put("reason", version.reason());
        }
        events.publish(t.accepted ? EventType.TRAINING_SUCCEEDED : EventType.TRAINING_REJECTED, data);
    }

    /** {@code training.failed}, committed with the run's FAILED (see {@link RunHandler#failed}). */
    @Override
    public void failed(RunContext run, String code, String message) {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("model", run.subject());
        data.put("training", run.id().toString());
        data.put("errorCode", code);
        data.put("error", message);
        events.publish(EventType.TRAINING_FAILED, data);
    }

    private static TrainingEntity entity(UUID id) {
        return TrainingEntity.<TrainingEntity>find("id", id).firstResult();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes progress at most every progress-interval and polls for cancellation between rounds. */
    private final class Progress implements BoostingListener {
        private final UUID id;
        private final RunContext run;
        private long lastWrite;
        private long lastPoll;
        private boolean cancelled;

        Progress(UUID id, RunContext run) {
            this.id = id;
            this.run = run;
        }

        @Override
        public void onRound(int round, int maxRounds, double score) {
            long now = System.nanoTime();
            if (round < maxRounds && (now - lastWrite) / 1_000_000 < config.progressIntervalMillis()) {
                return;
            }
            lastWrite = now;
            run.progress((double) round / maxRounds);
            QuarkusTransaction.requiringNew().run(() -> entity(id).rounds = round);
        }

        @Override
        public boolean cancelled() {
            long now = System.nanoTime();
            if (!cancelled && (now - lastPoll) / 1_000_000 >= CANCEL_POLL_MILLIS) {
                lastPoll = now;
                cancelled = run.cancelled();
            }
            return cancelled;
        }
    }

    static final String XGBOOST_VERSION = readXGBoostVersion();

    private static String readXGBoostVersion() {
        try (InputStream in =
                ml.dmlc.xgboost4j.java.XGBoost.class.getResourceAsStream("/xgboost4j-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
