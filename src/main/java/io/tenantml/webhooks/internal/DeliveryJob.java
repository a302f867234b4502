package io.tenantml.webhooks.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tenantml.events.TenantEvents;
import io.tenantml.shared.Texts;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.usage.Meter;
import io.tenantml.usage.Meters;
import io.tenantml.webhooks.DeliveryStatus;
import io.tenantml.webhooks.StandardWebhooks;
import io.tenantml.webhooks.WebhooksConfig;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Delivers committed tenant events to webhook endpoints, on every node.
 *
 * <pre>
 * one thread "tenantml-webhooks-poll" per node, every poll-interval or when an event commits anywhere:
 *   fan out: events not yet fanned out (FOR UPDATE SKIP LOCKED) -> one pending delivery per subscribed endpoint,
 *            event marked fanned out, one statement
 *   claim:   due pending deliveries of enabled endpoints of active tenants (FOR UPDATE SKIP LOCKED), as many as
 *            free sender threads: attempt + 1, node, lease -> "tenantml-webhooks-send-N"
 * send:      URL guard on the addresses resolved now -> POST to the address it approved, signed (webhook-id = the event's id on every
 *            attempt), no redirects followed -> outcome recorded only if this node still holds the attempt
 *            (2xx delivered; else retried after base * 2^(attempt-1), capped, ±25% jitter, until retry_until);
 *            a stored secret that does not decrypt (another key, another endpoint's value, clear) fails the attempt
 *            with the reason in its log, and the node's log names the endpoint; during a secret rotation's overlap
 *            the previous secret signs too (two signatures, the new one first), never at or after its expiry
 * each round: previous secrets whose overlap ended are forgotten (set null)
 * before a node's first round: secrets stored in clear or under a previous key are encrypted under the current
 *            key (WebhookSecrets.sealUnderCurrentKey)
 * </pre>
 *
 * A node killed mid-send leaves its attempt claimed until the lease ends; another node then sends it again
 * (at-least-once, same webhook-id). A crash before the first attempt loses nothing: the event and its delivery
 * are rows.
 */
@ApplicationScoped
public class DeliveryJob {

    private static final Logger LOG = Logger.getLogger(DeliveryJob.class);
    private static final int FAN_OUT_BATCH = 200;

    @Inject
    WebhooksConfig config;

    @Inject
    DeliveryStore store;

    @Inject
    UrlGuard guard;

    @Inject
    WebhookSecrets secrets;

    @Inject
    ClusterEvents cluster;

    @Inject
    Meters meters;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    private final String node = "webhooks/" + UUID.randomUUID();
    private final Object wakeLock = new Object();
    private boolean woken;
    private volatile boolean running;
    private Thread poller;
    private ExecutorService senders;
    private Semaphore free;
    private ReceiverClient receivers;

    @Inject
    Vertx vertx;

    void start(@Observes StartupEvent event) {
        // a receiver's answer may hold multi-byte characters: enough bytes for the excerpt's characters
        receivers = new ReceiverClient(
                vertx, config.connectTimeout(), config.readTimeout(), config.excerptChars() * 4, null);
        int threads = Math.max(1, config.senderThreads());
        free = new Semaphore(threads);
        AtomicInteger n = new AtomicInteger();
        senders = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tenantml-webhooks-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        cluster.subscribe(TenantEvents.PUBLISHED, tenant -> wake());
        running = true;
        poller = new Thread(this::loop, "tenantml-webhooks-poll");
        poller.setDaemon(true);
        poller.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        wake();
        if (receivers != null) {
            receivers.close();
        }
        if (senders != null) {
            senders.shutdown();
            try {
                senders.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Look for work now (an event or a delivery was committed). */
    public void wake() {
        synchronized (wakeLock) {
            woken = true;
            wakeLock.notifyAll();
        }
    }

    private void loop() {
        long pollMillis = Math.max(10, config.pollInterval().toMillis());
        boolean secretsUnderCurrentKey = false;
        while (running) {
            try {
                // before this node's first delivery (and until it succeeds once): secrets written in clear by an
                // earlier version are encrypted (no delivery signs with one), and those under a previous key are
                // re-encrypted, so that the previous key can be dropped once every node has started with the new one
                if (!secretsUnderCurrentKey) {
                    secrets.sealUnderCurrentKey();
                    secretsUnderCurrentKey = true;
                }
                work();
            } catch (Exception e) {
                LOG.warnf(e, "webhook delivery round failed; retried at the next poll");
            }
            synchronized (wakeLock) {
                if (!woken && running) {
                    try {
                        wakeLock.wait(pollMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    /** One round: fan out what was committed, then hand due attempts to free senders. */
    void work() throws Exception {
        store.forgetExpiredPreviousSecrets(clock.instant());
        while (store.fanOut(FAN_OUT_BATCH, config.initialDelay(), config.retryFor()) == FAN_OUT_BATCH) {
            // more waiting
        }
        while (running) {
            int permits = free.drainPermits();
            if (permits == 0) {
                return; // a sender finishing wakes the loop
            }
            Instant now = clock.instant();
            List<DeliveryStore.Claimed> claimed;
            try {
                claimed = store.claim(node, permits, now, now.plus(config.lease()));
            } catch (Exception e) {
                free.release(permits);
                throw e;
            }
            free.release(permits - claimed.size());
            for (DeliveryStore.Claimed c : claimed) {
                senders.execute(() -> {
                    try {
                        attempt(c);
                    } catch (Exception e) {
                        LOG.warnf(e, "webhook delivery %s attempt %d could not be recorded", c.id(), c.attempt());
                    } finally {
                        free.release();
                        wake();
                    }
                });
            }
            if (claimed.size() < permits) {
                return;
            }
        }
    }

    /** The outcome of one attempt. */
    record Outcome(boolean delivered, Integer status, Integer latencyMs, String error, String excerpt) {}

    private void attempt(DeliveryStore.Claimed c) throws Exception {
        Optional<DeliveryStore.Message> message = store.message(c);
        if (message.isEmpty()) {
            return; // endpoint or tenant deleted meanwhile: the delivery went with it
        }
        Outcome outcome = send(c, message.get());
        Instant at = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> record(c, outcome, at));
    }

    private void record(DeliveryStore.Claimed c, Outcome outcome, Instant at) {
        try {
            if (outcome.delivered()) {
                if (store.record(
                        c,
                        node,
                        DeliveryStatus.DELIVERED,
                        null,
                        at,
                        outcome.status(),
                        outcome.latencyMs(),
                        null,
                        outcome.excerpt())) {
                    store.endpointSucceeded(c);
                    meter(c);
                }
                return;
            }
            Instant next = at.plus(backoff(c.id(), c.attempt()));
            boolean last = next.isAfter(c.retryUntil());
            if (store.record(
                    c,
                    node,
                    last ? DeliveryStatus.FAILED : DeliveryStatus.PENDING,
                    last ? null : next,
                    at,
                    outcome.status(),
                    outcome.latencyMs(),
                    outcome.error(),
                    outcome.excerpt())) {
                meter(c);
                String reason =
                        config.disableAfterFailures() + " delivery attempts in a row failed; last: " + outcome.error();
                if (store.endpointFailed(c, config.disableAfterFailures(), Texts.cut(reason, 300))) {
                    LOG.infof("webhook endpoint %s of tenant %s disabled: %s", c.endpoint(), c.tenant(), reason);
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void meter(DeliveryStore.Claimed c) {
        meters.record(c.tenant(), Meter.WEBHOOK_DELIVERIES, Map.of(), 1, "webhook:" + c.id() + ":" + c.attempt());
    }

    /**
     * Delay after failed attempt {@code attempt}: retry-base * 2^(attempt-1), at most retry-max-delay, times a
     * jitter in [0.75, 1.25) drawn from the delivery id and attempt (deterministic, yet spread across deliveries
     * so that an endpoint coming back is not hit by every retry at once).
     */
    Duration backoff(UUID delivery, int attempt) {
        return backoff(delivery, attempt, config.retryBase(), config.retryMaxDelay());
    }

    static Duration backoff(UUID delivery, int attempt, Duration retryBase, Duration retryMaxDelay) {
        double base = retryBase.toMillis() * Math.pow(2, Math.min(40, Math.max(0, attempt - 1)));
        double capped = Math.min(base, retryMaxDelay.toMillis());
        long mix = delivery.getMostSignificantBits()
                ^ delivery.getLeastSignificantBits()
                ^ (attempt * 0x9E3779B97F4A7C15L);
        double jitter = 0.75 + 0.5 * new java.util.SplittableRandom(mix).nextDouble();
        return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
    }

    private Outcome send(DeliveryStore.Claimed c, DeliveryStore.Message m) {
        UrlGuard.Target target;
        try {
            target = guard.check(m.url());
        } catch (UrlGuard.Refused e) {
            return new Outcome(false, null, null, "refused: " + e.getMessage(), null);
        }
        byte[] body;
        try {
            ObjectNode root = json.createObjectNode();
            root.put("type", m.type());
            root.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(m.at()));
            root.set("data", json.readTree(m.payload()));
            body = json.writeValueAsBytes(root);
        } catch (IOException e) {
            return new Outcome(false, null, null, "event could not be encoded", null);
        }
        String id = c.event().toString();
        Instant now = clock.instant();
        long timestamp = now.getEpochSecond();
        String signature;
        try {
            signature = signature(m, c, now, id, timestamp, body);
        } catch (SecretCipher.Unreadable e) {
            // every attempt fails (and counts towards disabling the endpoint) until an operator acts: say so loudly
            LOG.errorf(
                    "webhook endpoint %s of tenant %s cannot sign delivery %s (attempt %d): %s",
                    c.endpoint(), c.tenant(), c.id(), c.attempt(), e.getMessage());
            return new Outcome(false, null, null, e.reason(), null);
        }
        Map<String, String> headers = Map.of(
                "Content-Type",
                "application/json",
                "User-Agent",
                "TenantML-Webhooks/1",
                "webhook-id",
                id,
                "webhook-timestamp",
                Long.toString(timestamp),
                "webhook-signature",
                signature);
        long started = System.nanoTime();
        ReceiverClient.Answer answer;
        try {
            answer = receivers.post(target, headers, body);
        } catch (ReceiverClient.Unanswered e) {
            return new Outcome(false, null, elapsed(started), e.getMessage(), null);
        }
        String excerpt = excerpt(answer.excerpt());
        int latency = elapsed(started);
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return new Outcome(true, status, latency, null, excerpt);
        }
        String error = status >= 300 && status < 400
                ? "redirect not followed (HTTP " + status + " to "
                        + Texts.cut(answer.location().orElse("nowhere"), 200) + ")"
                : "HTTP " + status;
        return new Outcome(false, status, latency, error, excerpt);
    }

    /**
     * The {@code webhook-signature} of a message: the current secret's signature, and during a rotation's overlap
     * (until the previous secret's expiry, exclusive, whether or not the sweep has forgotten it yet) the previous
     * secret's after it, so that a receiver verifying with either accepts the delivery. A previous secret that does
     * not decrypt fails the attempt like the current one: signing with the new secret alone would fail, silently,
     * every receiver still on the old one.
     */
    String signature(
            DeliveryStore.Message m, DeliveryStore.Claimed c, Instant now, String id, long timestamp, byte[] body)
            throws SecretCipher.Unreadable {
        String current = secrets.open(m.storedSecret(), c.tenant(), c.endpoint());
        if (m.storedPreviousSecret() == null || !now.isBefore(m.previousSecretExpiresAt())) {
            return StandardWebhooks.sign(current, id, timestamp, body);
        }
        String previous =
                secrets.openPrevious(m.storedPreviousSecret(), c.tenant(), c.endpoint(), m.previousSecretExpiresAt());
        return StandardWebhooks.sign(List.of(current, previous), id, timestamp, body);
    }

    private static int elapsed(long started) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000);
    }

    /** The first characters of an answer, without control characters (the log shows it as text). */
    private String excerpt(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        text.codePoints()
                .limit(config.excerptChars())
                .forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) || cp == 0xFFFD ? ' ' : cp));
        return sb.toString();
    }
}
