package io.tenantml.webhooks;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Webhook delivery settings; every key under {@code tenantml.webhooks}. */
@ConfigMapping(prefix = "tenantml.webhooks")
public interface WebhooksConfig {

    /**
     * {@code host:port} entries (comma-separated, env {@code TENANTML_WEBHOOKS_ALLOWED_HOSTS}) an endpoint may
     * reach although they resolve to a loopback, private, link-local or otherwise internal address (tests,
     * on-premises receivers). The host is compared as written in the URL, the port as the URL's effective port.
     * Empty: only public addresses.
     */
    Optional<List<String>> allowedHosts();

    /** How often each node looks for events to fan out and deliveries that are due (a commit also wakes it). */
    @WithDefault("PT1S")
    Duration pollInterval();

    /** Delay of a delivery's first attempt after its event (0: at once). */
    @WithDefault("PT0S")
    Duration initialDelay();

    /** Delay after the first failed attempt; each further failure doubles it (with ±25% jitter). */
    @WithDefault("PT5S")
    Duration retryBase();

    /** Longest delay between two attempts. */
    @WithDefault("PT2H")
    Duration retryMaxDelay();

    /** How long after its event a delivery is still retried; then it is failed for good (redelivery aside). */
    @WithDefault("P1D")
    Duration retryFor();

    /** Consecutive failed attempts after which an endpoint is disabled (until enabled again by an admin). */
    @WithDefault("20")
    int disableAfterFailures();

    /** TCP connect timeout of a delivery. */
    @WithDefault("PT5S")
    Duration connectTimeout();

    /** Time allowed for the receiver's answer (status and headers) after the request is sent. */
    @WithDefault("PT15S")
    Duration readTimeout();

    /**
     * How long a claimed attempt is reserved for its node; a node that dies mid-send leaves it to be re-claimed
     * after this (at-least-once). Must exceed connect + read timeout.
     */
    @WithDefault("PT1M")
    Duration lease();

    /** Deliveries sent at once per node. */
    @WithDefault("4")
    int senderThreads();

    /** Characters of a receiver's answer kept in the delivery log. */
    @WithDefault("200")
    int excerptChars();

    /**
     * Key under which endpoints' signing secrets are stored (AES-256-GCM): base64 of 32 bytes, env
     * {@code TENANTML_WEBHOOKS_SECRET_KEY}, the same on every node. Unset: one is created once in
     * {@code <data dir>/secrets/webhook-secret.key}. To change it, give the old key in {@link #previousSecretKeys}:
     * secrets stored under it still sign, and each node's delivery job re-encrypts them under the new key before its
     * first round. A key that is neither makes the secrets stored under it unreadable (deliveries then fail naming
     * the key mismatch) until it is given again.
     */
    Optional<String> secretKey();

    /**
     * Keys that secrets may still be stored under while a key change rolls out (comma-separated base64, env
     * {@code TENANTML_WEBHOOKS_PREVIOUS_SECRET_KEYS}): read, never written with. Drop one once no value is stored
     * under it (the start log counts them).
     */
    Optional<List<String>> previousSecretKeys();

    /**
     * Overlap of a secret rotation that names none: how long the secret it replaces still signs beside the new one
     * (every delivery then carries both signatures). Cut to {@link #maxSecretRotationOverlap} if longer.
     */
    @WithDefault("PT24H")
    Duration secretRotationOverlap();

    /** Longest overlap a secret rotation may ask for: bounds how long a replaced (maybe leaked) secret still signs. */
    @WithDefault("P7D")
    Duration maxSecretRotationOverlap();

    /** Endpoints per tenant. */
    @WithDefault("20")
    int maxEndpoints();

    /**
     * How long a tenant's events are kept in the outbox, which the event feed and the deliveries list read: older
     * events go with their deliveries, except one a delivery still retries (or one not yet fanned out). Far longer
     * than {@link #retryFor()}, so that an integration that was down for weeks can still catch up from the feed.
     */
    @WithDefault("P90D")
    Duration eventRetention();

    /** How often one node of the cluster deletes what fell out of {@link #eventRetention()}. */
    @WithDefault("1h")
    String eventRetentionEvery();
}
