package io.tenantml.experts.internal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.experts.BuildRunner;
import io.tenantml.experts.BuildStatus;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/** {@link BuildRunner} on the {@code recommender_build} table (until the platform's run ledger takes it over). */
@ApplicationScoped
public class TableBuildRunner implements BuildRunner {

    private static final Logger LOG = Logger.getLogger(TableBuildRunner.class);

    /** Topic: a recommender's current generation moved; payload tenant|recommender|old build. */
    public static final String GENERATION_RETIRED = "experts-generation-retired";

    @Inject
    TenantContext tenantContext;

    @Inject
    ClusterEvents cluster;

    @Inject
    Clock clock;

    @Override
    public Optional<Claim> start(UUID id, boolean recovering) {
        return QuarkusTransaction.requiringNew().call(() -> {
            BuildEntity b = BuildEntity.<BuildEntity>find("id", id)
                    .withLock(LockModeType.PESSIMISTIC_WRITE)
                    .firstResult();
            if (b == null || !b.tenantId.equals(tenantContext.require().value())) {
                LOG.warnf("build %s is not a build of tenant %s; ignored", id, tenantContext.require());
                return Optional.empty();
            }
            if (!b.status.active()) {
                return Optional.empty();
            }
            if (b.status == BuildStatus.RUNNING && b.attempts >= 2) {
                b.status = BuildStatus.FAILED;
                b.error = "interrupted again after being redone once";
                b.finishedAt = clock.instant();
                return Optional.empty();
            }
            if (b.status == BuildStatus.RUNNING) {
                LOG.infof("redoing build %s of %s (recovering=%s)", id, b.recommender, recovering);
            }
            b.status = BuildStatus.RUNNING;
            b.attempts++;
            b.progress = 0;
            b.phase = "reading";
            b.startedAt = clock.instant();
            return Optional.of(new Claim(b.id, b.recommender, b.dataset, b.datasetVersion, b.attempts));
        });
    }

    @Override
    public void progress(UUID id, double fraction, String phase) {
        QuarkusTransaction.requiringNew().run(() -> {
            BuildEntity b = entity(id);
            b.progress = Math.max(0, Math.min(1, fraction));
            b.phase = phase;
        });
    }

    @Override
    public void finish(UUID id, Outcome o) {
        QuarkusTransaction.requiringNew().run(() -> {
            BuildEntity b = entity(id);
            b.rowsIndexed = o.rowsIndexed();
            b.rowsEmbedded = o.rowsEmbedded();
            b.indexSha256 = o.indexSha256();
            b.indexBytes = o.indexBytes();
            b.rerankerSha256 = o.rerankerSha256();
            b.evaluation = o.evaluation();
            b.provenance = o.provenance();
            b.gateReason = o.gateReason();
            b.status = o.accepted() ? BuildStatus.SUCCEEDED : BuildStatus.REJECTED;
            b.progress = 1;
            b.phase = "done";
            b.finishedAt = clock.instant();
            b.error = null;
            if (o.accepted()) {
                RecommenderEntity r = RecommenderEntity.<RecommenderEntity>find("name", b.recommender)
                        .withLock(LockModeType.PESSIMISTIC_WRITE)
                        .firstResult();
                if (r == null) {
                    throw new IllegalStateException("recommender '" + b.recommender + "' was deleted");
                }
                UUID previous = r.currentBuild;
                r.currentBuild = b.id;
                if (previous != null) {
                    cluster.publish(GENERATION_RETIRED, b.tenantId + "|" + b.recommender + "|" + previous);
                }
            }
        });
    }

    @Override
    public void fail(UUID id, String error) {
        QuarkusTransaction.requiringNew().run(() -> {
            BuildEntity b = entity(id);
            b.status = BuildStatus.FAILED;
            b.error = error;
            b.finishedAt = clock.instant();
        });
    }

    static BuildEntity entity(UUID id) {
        return BuildEntity.<BuildEntity>find("id", id).firstResult();
    }
}
