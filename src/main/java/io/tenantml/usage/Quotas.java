package io.tenantml.usage;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.events.EventType;
import io.tenantml.events.TenantEvents;
import io.tenantml.scheduling.CronSchedules;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.database.NameLocks;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.quartz.CronExpression;

/**
 * Enforcement of plan limits, called by the features at the point where a tenant asks for more: a check is a
 * comparison against the in-memory plan, plus (for counts) the tenant's count, read under a per-tenant lock on the
 * limit in the caller's creating transaction. Problems name the
 * limit ({@code limit}) and its value ({@code max}); the type is {@code quota-exceeded} (counts 409, sizes
 * 413, schedules 422) or {@code rate-limited} (429 with Retry-After).
 *
 * <p>Request rates are token buckets (Bucket4j) per credential and node: a credential sending to N nodes may
 * get up to N times its rate (documented; the per-node bound is what protects each node).
 */
@ApplicationScoped
public class Quotas {

    @Inject
    Plans plans;

    @Inject
    TenantContext tenantContext;

    @Inject
    Clock clock;

    @Inject
    io.tenantml.storage.BlobStore blobs;

    @Inject
    io.tenantml.scheduling.RunLedger ledger;

    @Inject
    NameLocks nameLocks;

    @Inject
    jakarta.enterprise.inject.Instance<QuotaCount> counts;

    /** Uploads running now per tenant, on this node. */
    private final ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> uploads =
            new ConcurrentHashMap<>();

    /** Shortest time between two {@code quota.exceeded} events of one tenant and limit on one node. */
    static final Duration EVENT_INTERVAL = Duration.ofMinutes(1);

    @Inject
    TenantEvents events;

    private final ConcurrentHashMap<String, Instant> lastEvent = new ConcurrentHashMap<>();

    private void publishExceeded(Limit limit, long max, String detail) {
        TenantId tenant = tenantContext.require();
        Instant now = clock.instant();
        boolean[] due = {false};
        lastEvent.compute(tenant.value() + "|" + limit.wireName(), (k, last) -> {
            if (last == null || !now.isBefore(last.plus(EVENT_INTERVAL))) {
                due[0] = true;
                return now;
            }
            return last;
        });
        if (!due[0]) {
            return;
        }
        try {
            io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                    .run(() -> events.publish(
                            EventType.QUOTA_EXCEEDED,
                            java.util.Map.of("limit", limit.wireName(), "max", max, "detail", detail)));
        } catch (RuntimeException e) {
            // the refusal stands whether or not its event could be written
            org.jboss.logging.Logger.getLogger(Quotas.class)
                    .warnf(e, "quota.exceeded of tenant %s not recorded", tenant);
        }
    }

    private record BucketKey(Limit limit, String tenant, String credential, long rate) {}

    private final ConcurrentHashMap<BucketKey, Bucket> buckets = new ConcurrentHashMap<>();

    /** The limits in force for the current tenant. */
    public PlanLimits limits() {
        return plans.limits(tenantContext.require());
    }

    /**
     * 409 when the tenant already has as many of something limited by {@code limit} as its plan allows. Call it in
     * the transaction that then inserts the new one, after any name lock of that thing ({@code NameLocks}) and
     * before any row lock; {@code current} counts what that insert adds to.
     *
     * <p>Creates of different names at once are serialised per tenant and limit: this takes a transaction-scoped
     * advisory lock on (tenant, limit) before it counts, held until the caller commits or rolls back. Without it,
     * every create of a burst read the same count below the limit and all were inserted. Once the lock is granted,
     * the count (a new statement under READ COMMITTED) sees every create that held it before. An unlimited plan
     * takes no lock and counts nothing.
     *
     * <p>Lock order, on every path, so that no two creates wait for each other: the thing's name lock first, then
     * the quota locks in {@link Limit} declaration order, then rows. The one exception is {@link #withinStorage}'s
     * lock, taken before the name lock: nothing takes it while holding another lock. A job's start holds its
     * dataset's name lock (shared, {@code DatasetReader.holdAgainstPurge}) before its own: a rule's retrain appends
     * to the dataset (exclusive) before it starts the training.
     *
     * @throws IllegalStateException when no transaction is active: the lock would end with the count, before the
     *     insert it must cover
     */
    public void requireRoomForOneMore(Limit limit, LongSupplier current) {
        Long max = limit.of(limits());
        if (max == null) {
            return;
        }
        lock(limit);
        requireBelow(limit, max, current.getAsLong());
    }

    /** Waits for, then holds until the transaction ends, the tenant's lock on {@code limit}. */
    private void lock(Limit limit) {
        if (!QuarkusTransaction.isActive()) {
            throw new IllegalStateException(
                    "the " + limit.wireName() + " quota is checked outside the transaction that creates the thing");
        }
        nameLocks.lock("quota", tenantContext.require(), limit.wireName());
    }

    private void requireBelow(Limit limit, long max, long current) {
        if (current >= max) {
            throw exceeded(
                    409, limit, max, "the plan allows " + max + " " + limit.wireName() + "; the tenant has " + current);
        }
    }

    /** 413 when {@code size} exceeds the limit. */
    public void requireAtMost(Limit limit, long size) {
        Long max = limit.of(limits());
        if (max != null && size > max) {
            throw exceeded(413, limit, max, limit.wireName() + " is " + max + ", this needs " + size);
        }
    }

    /** Writes files and commits the rows that refer to them; see {@link #withinStorage}. */
    @FunctionalInterface
    public interface StorageWrite<T> {
        T write() throws java.io.IOException;
    }

    /**
     * Runs {@code write}, which stores files of {@code adding} bytes and commits the rows that refer to them, within
     * the tenant's {@code storedBytes}: 413 before anything is written when what the tenant stores plus
     * {@code adding} exceeds it. Without a limit, {@code write} just runs.
     *
     * <p>With a limit, the measure, the files and their rows are one transaction that holds the tenant's storage
     * lock, so writes at once are measured one after the other, each after the files of the one before it are
     * stored (or removed); {@code write} must join that transaction ({@code QuarkusTransaction.joiningExisting})
     * rather than commit its own. Checking outside the lock let a burst of uploads, each of which fitted alone,
     * all store their files. One transaction, not a lock transaction around a commit of its own, so that a waiting
     * write holds one connection and the holder never needs a second one from a pool the waiters may have drained.
     * This lock comes before every other lock of the write, its name lock included: it covers the files, which
     * are written before any row is touched, and no path takes it while holding another lock.
     */
    public <T> T withinStorage(long adding, StorageWrite<T> write) throws java.io.IOException {
        Long max = Limit.STORED_BYTES.of(limits());
        if (max == null) {
            return write.write();
        }
        TenantId tenant = tenantContext.require();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                lock(Limit.STORED_BYTES);
                long used = blobs.usedBytes(tenant);
                if (used + adding > max) {
                    throw exceeded(
                            413,
                            Limit.STORED_BYTES,
                            max,
                            "the plan allows " + max + " stored bytes; the tenant stores " + used + " and this adds "
                                    + adding);
                }
                return write.write();
            });
        } catch (io.quarkus.narayana.jta.QuarkusTransactionException e) {
            if (e.getCause() instanceof java.io.IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /** An upload slot of the tenant; closing it frees the slot. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes one of the tenant's {@code concurrentUploads} slots, 409 when all are taken. Counted per node (an
     * upload holds a node's disk and CPU; a tenant spreading uploads over N nodes may run N times as many).
     */
    public Slot uploadSlot() {
        TenantId tenant = tenantContext.require();
        Long max = Limit.CONCURRENT_UPLOADS.of(limits());
        java.util.concurrent.atomic.AtomicInteger running =
                uploads.computeIfAbsent(tenant.value(), k -> new java.util.concurrent.atomic.AtomicInteger());
        int now = running.incrementAndGet();
        if (max != null && now > max) {
            running.decrementAndGet();
            throw exceeded(
                    409,
                    Limit.CONCURRENT_UPLOADS,
                    max,
                    "the plan allows " + max + " uploads at once; " + (now - 1) + " are running");
        }
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                running.decrementAndGet();
            }
        };
    }

    /**
     * 422 naming {@code field} when a cron schedule the tenant declares (a model's training or monitoring schedule, a
     * recommender's build schedule) fires more often than the plan's minimum interval (checked over its next fires):
     * every fire is a run on the ledger, even one that is skipped.
     *
     * @throws IllegalArgumentException for an expression Quartz does not parse: callers validate it first, naming
     *     their own field
     */
    public void requireScheduleInterval(String field, String cron) {
        Long min = Limit.MIN_SCHEDULE_INTERVAL_SECONDS.of(limits());
        if (min == null || cron == null) {
            return;
        }
        CronExpression expression = CronSchedules.utc(cron);
        Date previous = expression.getNextValidTimeAfter(Date.from(clock.instant()));
        // A cron's shortest gap shows within a few hundred fires (seconds, minutes, hours, days fields).
        for (int i = 0; previous != null && i < 400; i++) {
            Date next = expression.getNextValidTimeAfter(previous);
            if (next == null) {
                return;
            }
            long gap = TimeUnit.MILLISECONDS.toSeconds(next.getTime() - previous.getTime());
            if (gap < min) {
                throw exceeded(
                                422,
                                Limit.MIN_SCHEDULE_INTERVAL_SECONDS,
                                min,
                                field + " '" + cron + "' fires " + gap + " s apart; the plan allows one fire every "
                                        + min + " s at most")
                        .withField(field);
            }
            previous = next;
        }
    }

    /**
     * Takes one token of the credential's bucket for {@code limit} (a per-second rate).
     *
     * @return empty when allowed, else the seconds to wait (Retry-After)
     */
    public java.util.OptionalLong tryRate(TenantId tenant, String credential, Limit limit) {
        Long planned = limit.of(plans.limits(tenant));
        if (planned == null) {
            return java.util.OptionalLong.empty();
        }
        // a plan stored before the ceiling was enforced: above it, the bucket cannot refill fast enough to exist
        long rate = Math.min(planned, Plans.MAX_REQUESTS_PER_SECOND);
        if (rate == 0) {
            return java.util.OptionalLong.of(3600);
        }
        Bucket bucket = buckets.computeIfAbsent(
                new BucketKey(limit, tenant.value(), credential, rate),
                k -> Bucket.builder()
                        .addLimit(Bandwidth.builder()
                                .capacity(rate)
                                .refillGreedy(rate, Duration.ofSeconds(1))
                                .build())
                        .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9)));
    }

    /** The rate-limited problem (429); the caller adds Retry-After. */
    public static Problem rateLimited(Limit limit, long rate, long retryAfterSeconds) {
        return Problem.of(
                        429,
                        "rate-limited",
                        "Too many requests",
                        "more than " + rate + " requests per second for " + limit.wireName() + "; retry after "
                                + retryAfterSeconds + " s")
                .with("limit", limit.wireName())
                .with("max", rate)
                .with("retryAfterSeconds", retryAfterSeconds);
    }

    /**
     * 409 unless the tenant may start one more job of {@code kind}: {@code concurrentJobs} over its queued and
     * running runs of every kind on the run ledger but monitoring windows (trainings, batch predictions, index
     * builds: a kind added later counts without anyone remembering to list it; window runs are the platform's
     * own hourly check, so they never take a tenant's slot, though a manual one is refused when the tenant's
     * other jobs have taken them all), and, for a training, {@code trainingsPerDay} over the
     * trainings it started today (UTC). The ledger's fair slots decide when a run starts; this decides whether it
     * may be queued at all. Call it in the transaction that enqueues the run, before anything of the job is
     * written: like {@link #requireRoomForOneMore}, it holds the tenant's locks on the limits it checks until that
     * transaction ends, so jobs asked for at once are counted one after the other.
     *
     * <p>A job that stores files (a model version, an index generation, batch results) is refused, also with 409,
     * while the tenant already stores its whole {@code storedBytes}: otherwise a tenant at its limit could go on
     * growing its storage by any amount through jobs, which only uploads were measured against. The job's own files
     * are not known before it runs, so one that starts below the limit may end a little over it; the next is
     * refused.
     */
    public void requireJobSlot(io.tenantml.scheduling.RunKind kind) {
        java.util.Objects.requireNonNull(kind, "kind");
        if (FILE_WRITING_JOBS.contains(kind)) {
            requireStorageLeft(kind);
        }
        boolean training = kind == io.tenantml.scheduling.RunKind.TRAINING;
        PlanLimits limits = limits();
        Long perDay = training ? limits.trainingsPerDay() : null;
        Long concurrent = limits.concurrentJobs();
        // both locks before either count, in Limit declaration order (see requireRoomForOneMore)
        if (perDay != null) {
            lock(Limit.TRAININGS_PER_DAY);
        }
        if (concurrent != null) {
            lock(Limit.CONCURRENT_JOBS);
            requireBelow(Limit.CONCURRENT_JOBS, concurrent, activeJobs());
        }
        if (perDay != null) {
            requireBelow(Limit.TRAININGS_PER_DAY, perDay, trainingsToday());
        }
    }

    /** The jobs whose results are files in the tenant's storage. */
    private static final java.util.Set<io.tenantml.scheduling.RunKind> FILE_WRITING_JOBS = java.util.EnumSet.of(
            io.tenantml.scheduling.RunKind.TRAINING,
            io.tenantml.scheduling.RunKind.BATCH_PREDICTION,
            io.tenantml.scheduling.RunKind.INDEX_BUILD);

    /**
     * No lock: unlike an upload, the job's size is unknown, so what the tenant stores now is all there is to compare,
     * and a file removed or stored meanwhile moves the answer by no more than that one file.
     */
    private void requireStorageLeft(io.tenantml.scheduling.RunKind kind) {
        Long max = Limit.STORED_BYTES.of(limits());
        if (max == null) {
            return;
        }
        long used = storedBytes();
        if (used >= max) {
            throw exceeded(
                    409,
                    Limit.STORED_BYTES,
                    max,
                    "the plan allows " + max + " stored bytes and the tenant stores " + used + "; a "
                            + kind.configKey() + " stores files: delete datasets, models or recommenders it no"
                            + " longer needs, or ask for a larger plan");
        }
    }

    /**
     * Trainings, batch predictions and index builds queued or running. Window runs are the platform's own short work
     * (hourly, one per model at a time): counting them would answer a tenant's training 409 at random whenever its
     * hourly run happens to run.
     */
    private long activeJobs() {
        return ledger.count(
                java.util.EnumSet.complementOf(java.util.EnumSet.of(io.tenantml.scheduling.RunKind.MONITORING_WINDOW)),
                java.util.List.of(io.tenantml.scheduling.RunState.QUEUED, io.tenantml.scheduling.RunState.RUNNING));
    }

    /** Trainings asked for since the start of the UTC day; a skipped scheduled fire trained nothing. */
    private long trainingsToday() {
        return ledger.countSince(
                io.tenantml.scheduling.RunKind.TRAINING,
                startOfDay(),
                java.util.List.of(io.tenantml.scheduling.RunState.SKIPPED));
    }

    /** {@link #storedBytes} by what stores them, from one walk, so that the parts sum to the total shown. */
    private java.util.SortedMap<String, Long> storedBytesByArea() {
        try {
            return blobs.usedBytesByFirstSegment(tenantContext.require());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("stored bytes of " + tenantContext.require() + " not measured", e);
        }
    }

    private long storedBytes() {
        try {
            return blobs.usedBytes(tenantContext.require());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("stored bytes of " + tenantContext.require() + " not measured", e);
        }
    }

    /**
     * Every count and storage limit of the plan beside what the tenant has of it now, counted as the checks count
     * (the same statements; {@link QuotaCount}s for the things features own), in {@link Limit} order. No quota lock
     * is taken: a view may be a create behind. Concurrent uploads are per node and left out.
     */
    public QuotaUsage usage() {
        PlanLimits limits = limits();
        java.util.List<QuotaUse> uses = new java.util.ArrayList<>();
        java.util.SortedMap<String, Long> stored = storedBytesByArea();
        uses.add(new QuotaUse(
                Limit.STORED_BYTES,
                Limit.STORED_BYTES.of(limits),
                stored.values().stream().mapToLong(Long::longValue).sum(),
                "bytes stored",
                null,
                stored,
                null));
        for (QuotaCount count : counts) {
            if (count.applies()) {
                uses.add(counted(count, limits));
            }
        }
        uses.add(new QuotaUse(
                Limit.TRAININGS_PER_DAY,
                Limit.TRAININGS_PER_DAY.of(limits),
                trainingsToday(),
                "trainings asked for today (UTC)",
                startOfDay().plus(Duration.ofDays(1))));
        uses.add(new QuotaUse(
                Limit.CONCURRENT_JOBS,
                Limit.CONCURRENT_JOBS.of(limits),
                activeJobs(),
                "trainings, batch predictions and index builds queued or running",
                null));
        uses.sort(java.util.Comparator.comparing(QuotaUse::limit).thenComparing(QuotaUse::counts));
        return new QuotaUsage(tenantContext.require().value(), java.util.List.copyOf(uses));
    }

    /**
     * One count beside its limit; when what keeps the count (Keycloak) cannot be asked, the count is shown as
     * unavailable instead of failing the whole answer, so an identity provider outage does not hide every other
     * limit from the tenant's admins. Only the outage problems (5xx) are caught: anything else is a bug.
     */
    private static QuotaUse counted(QuotaCount count, PlanLimits limits) {
        Long max = count.limit().of(limits);
        try {
            return new QuotaUse(count.limit(), max, count.current(), count.counts(), null);
        } catch (ProblemException e) {
            if (e.problem().status() < 500) {
                throw e;
            }
            return QuotaUse.unavailable(
                    count.limit(), max, count.counts(), e.problem().detail());
        }
    }

    /** Start of the current UTC day (trainings per day). */
    public Instant startOfDay() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    }

    /**
     * The refusal, and its {@code quota.exceeded} event. The event commits on its own: the refusal rolls the
     * caller's transaction back, and a refusal is a fact whether or not anything else commits. At most one
     * event per tenant and limit per {@link #EVENT_INTERVAL} and node, so a client retrying in a loop does not
     * flood its own webhooks.
     */
    private QuotaProblem exceeded(int status, Limit limit, long max, String detail) {
        publishExceeded(limit, max, detail);
        return new QuotaProblem(Problem.of(status, "quota-exceeded", QUOTA_EXCEEDED, detail)
                .with("limit", limit.wireName())
                .with("max", max));
    }

    /** The title of every quota-exceeded problem, whatever its status (409, 413, 422 or 429). */
    public static final String QUOTA_EXCEEDED = "Quota exceeded";

    /** A quota problem; {@link #withField} names the request field that asked for too much. */
    static final class QuotaProblem extends ProblemException {
        QuotaProblem(Problem problem) {
            super(problem);
        }

        ProblemException withField(String field) {
            return new ProblemException(problem().with("field", field));
        }
    }
}
